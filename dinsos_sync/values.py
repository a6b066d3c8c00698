"""How registry values are read, the same way for a file extract and for the HTTP API:
dates (ISO or day first), deciles (empty, a number or its text), status words (with the
regency's own words mapped by the administrator) and NIK/KK numbers.

Nothing here touches the database: the mapped words arrive as a `Vocabulary` built by
`selectors.vocabulary_for`, so the parser stays usable in threads and in the fake
registry."""

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from santunan.identity import SIXTEEN_DIGITS, normalise_number

ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.+Z-]*)?$")
DAY_FIRST = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
SIXTEEN = SIXTEEN_DIGITS  # ASCII digits only: \d would take any script's digits

# The words every registry uses; a regency's other words come from ValueMapping.
SEX = {"L": "L", "P": "P", "LAKI-LAKI": "L", "LAKI LAKI": "L", "PEREMPUAN": "P"}
DTKS = {
    "": None,
    "YA": True,
    "Y": True,
    "1": True,
    "DTKS": True,
    "TERDAFTAR": True,
    "TIDAK": False,
    "T": False,
    "0": False,
    "NON DTKS": False,
    "NON-DTKS": False,
    "TIDAK TERDAFTAR": False,
}
ALIVE = {"HIDUP": True, "MENINGGAL": False}
DECILES = {"": None, **{str(n): n for n in range(1, 11)}}

# The columns whose words can be mapped, and what a mapped word may mean (the canonical
# word, whose value is then taken from the tables above).
MAPPABLE = {
    "status_dtks": {"YA": "YA", "TIDAK": "TIDAK", "": ""},
    "status_hidup": {"HIDUP": "HIDUP", "MENINGGAL": "MENINGGAL"},
    "jenis_kelamin": {"L": "L", "P": "P"},
}
MAPPABLE_BY_SOURCE = {
    "social": ["status_dtks", "jenis_kelamin"],
    "population": ["status_hidup", "jenis_kelamin"],
}
BUILTIN = {"status_dtks": DTKS, "status_hidup": ALIVE, "jenis_kelamin": SEX}


def word(value) -> str:
    """A status cell as the key of the word tables: trimmed, upper case."""
    return str(value if value is not None else "").strip().upper()


@dataclass(frozen=True)
class Vocabulary:
    """The words of one source: column → {word: value}."""

    source: str
    words: dict[str, dict] = field(default_factory=dict)

    @classmethod
    def builtin(cls, source: str, mapped: dict[tuple[str, str], str] | None = None):
        """The built-in words, plus `mapped` ((column, word) → canonical word)."""
        words = {column: dict(BUILTIN[column]) for column in MAPPABLE_BY_SOURCE[source]}
        for (column, raw), meaning in (mapped or {}).items():
            if column in words and meaning in BUILTIN[column]:
                words[column][word(raw)] = BUILTIN[column][meaning]
        return cls(source=source, words=words)

    def table(self, column: str) -> dict:
        return self.words[column]

    def knows(self, column: str, raw) -> bool:
        return word(raw) in self.words[column]


@lru_cache(maxsize=4096)
def parse_date(text: str) -> date | None:
    """'1950-12-31', '31-12-1950', '31/12/1950' or '31.12.1950' → the date; None when
    it is none of these or not a real date (or before 1880, a typing slip)."""
    text = text.strip()
    match = ISO_DATE.match(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
    else:
        match = DAY_FIRST.match(text)
        if not match:
            return None
        day, month, year = (int(part) for part in match.groups())
    try:
        parsed = date(year, month, day)
    except ValueError:
        return None
    return parsed if parsed.year >= 1880 else None


class BadValue(ValueError):
    pass


def parse_decile(value) -> int | None:
    """An empty decile is None; 3, '3', '3.0' and '3,0' are 3; anything else (0, 11,
    'tiga', 2.5) raises BadValue."""
    if value is None or isinstance(value, bool):
        if value is None:
            return None
        raise BadValue("decile")
    text = str(value).strip()
    if not text:
        return None
    known = DECILES.get(text)
    if known is not None:
        return known
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        raise BadValue("decile") from None
    if not number.is_integer() or not 1 <= number <= 10:
        raise BadValue("decile")
    return int(number)


def clean_number(value) -> str:
    """A NIK or KK cell in the one normal form of identity numbers (full-width digits
    made ASCII, spaces, dashes and dots removed), as a typed NIK is. A number mangled by
    a spreadsheet (3,32501E+15) keeps its letters and signs, so the row is refused,
    never repaired."""
    return normalise_number(value if value is not None else "")
