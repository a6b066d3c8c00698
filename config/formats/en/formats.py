"""English formats with the day first, as Indonesia writes dates.

Django's own English formats read 05/11/2026 as 11 May; a person who chose English
still types dates the Indonesian way, so every form Django builds itself (the
administration's date boxes) reads and shows them day first, like the site's own
fields (santunan/fields.py)."""

from django.conf.locale.en.formats import *  # noqa: F403  (the rest of English as Django has it)

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
]
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
