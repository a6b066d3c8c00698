"""Number formats no person uses, so that a localised number stands out wherever it
is written (tests/config/test_numbers_in_markup.py): every number of two digits or
more is grouped, and the separators are characters no page writes otherwise."""

DECIMAL_SEPARATOR = "\u01c0"  # ǀ
THOUSAND_SEPARATOR = "\u02cc"  # ˌ
NUMBER_GROUPING = 1
