"""Do two Indonesian names mean the same person? Titles, honorifics, the many
spellings of Muhammad and the 'bin/binti' patronymic are set aside before rapidfuzz
compares what is left, with and without spaces ("Nur Hadi" = "Nurhadi")."""

import re
from functools import lru_cache

from rapidfuzz import fuzz

# Honorifics and titles written before a name (Haji, Hajjah, almarhum/ah, degrees).
DROPPED = {
    "h",
    "hj",
    "hajjah",
    "haji",
    "alm",
    "almh",
    "almarhum",
    "almarhumah",
    "drs",
    "dra",
    "dr",
    "ir",
    "kh",
    "ny",
    "nyonya",
    "tn",
    "tuan",
    "bpk",
    "bapak",
    "sdr",
    "sdri",
    "prof",
}
# The father's name follows these words; registries often leave it out.
PATRONYMIC = {"bin", "binti", "bt"}
SPELLINGS = {
    **dict.fromkeys(
        [
            "moh",
            "muh",
            "mohd",
            "muhd",
            "moch",
            "mochammad",
            "mochamad",
            "mohammad",
            "mohamad",
            "muhamad",
            "muchammad",
            "muchamad",
            "mhd",
            "md",
            "m",
        ],
        "muhammad",
    ),
    "st": "siti",
    "achmad": "ahmad",
    "akhmad": "ahmad",
}
NOT_LETTERS = re.compile(r"[^a-z\s]+")


@lru_cache(maxsize=1 << 16)
def normalise_name(name: str) -> str:
    """'H. Moh. Slamet bin Karto' → 'muhammad slamet'. Cached: a cross-check of every
    open claim meets the same names many times (claim, registry, other claims)."""
    # Academic degrees come after a comma in Indonesian usage ("Ahmad, S.Pd.").
    text = (name or "").lower().split(",")[0]
    text = NOT_LETTERS.sub(" ", text.replace("'", "").replace("`", ""))
    words = []
    for word in text.split():
        if word in PATRONYMIC and words:
            break
        if word in DROPPED:
            continue
        words.append(SPELLINGS.get(word, word))
    return " ".join(words)


def name_similarity(first: str, second: str) -> int:
    """0–100: how alike two names are once normalised."""
    a, b = normalise_name(first), normalise_name(second)
    if not a or not b:
        return 0
    return round(
        max(
            fuzz.ratio(a, b),
            fuzz.token_sort_ratio(a, b),
            fuzz.ratio(a.replace(" ", ""), b.replace(" ", "")),
        )
    )
