"""Indonesian names in the forms a comparison or a search needs: titles, honorifics,
degrees, the many spellings of Muhammad and the 'bin/binti' patronymic set aside
(normalise_name), and a spelling-neutral form where the pre-1972 spelling still on old
documents and in registries (Soetrisno, Tjasmadi, Chotidjah) meets today's (Sutrisno,
Casmadi, Khotijah) and the common variants of Arabic-derived and Javanese names fold
together (Achmad/Ahmad, Fathonah/Fatonah, Sumiyati/Sumiati, Sitti/Siti).

One set of rules for every part of the service: the registry matcher
(dinsos_sync.matching) scores names in these forms, and the claim search finds a name
by them (Claim.search_names). Pure functions, no Django: both apps import them, and
santunan never imports dinsos_sync.

A change to these rules changes the stored Claim.search_names: it needs a data
migration that fills the column again (see 0016_claim_search_names)."""

import re
from functools import lru_cache

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
    "raden",
    "r",
    "rr",
    "kyai",
    "kiai",
    "ust",
    "ustad",
    "ustadz",
    "ustadzah",
    "hajah",
    "hjh",
    "mbah",
    "ibu",
    "bu",
    "pak",
    "nyi",
    "nyai",
    "ki",
}
# Degrees written after a name without the comma ("Nurhayati S.Pd", "Agus Salim SH").
DEGREES = {
    "spd",
    "pd",
    "sh",
    "se",
    "ag",
    "sag",
    "sos",
    "ssos",
    "kom",
    "skom",
    "md",
    "amd",
    "ip",
    "sip",
    "kep",
    "skep",
    "si",
    "ssi",
    "msi",
    "mpd",
    "mm",
    "st",
    "sst",
    "mh",
    "ked",
    "sked",
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
    "abd": "abdul",
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
    # "... S.Pd" / "... S. Pd." became "s pd": drop the degree and the letter before it.
    dropped = False
    while len(words) > 1 and words[-1] in DEGREES:
        words.pop()
        dropped = True
    if dropped and len(words) > 1 and len(words[-1]) == 1:
        words.pop()
    return " ".join(words)


# Marks of the old (pre-1972) spelling; only a name showing one has its j read as y,
# because today's Sujono and Suyono are two different names.
OLD_MARKS = re.compile(r"oe|dj|tj|sj|nj|ch|hj|lj")
# In order: old spelling first (dj is today's j, so it is set apart before j → y).
OLD_SPELLING = [("oe", "u"), ("dj", "\x00"), ("tj", "c"), ("sj", "sy"), ("nj", "ny"), ("ch", "kh")]
VARIANTS = [
    (re.compile(r"kh"), "h"),  # Khotimah / Hotimah / Chotimah, Akhmad / Ahmad
    (re.compile(r"(?<=[tdsz])h"), ""),  # Fathonah / Fatonah, Ramadhan / Ramadan
    (re.compile(r"q"), "k"),  # Qomariyah / Komariyah
    (re.compile(r"dz"), "z"),  # Dzulkifli / Zulkifli
    (re.compile(r"iy(?=[aeiou])"), "i"),  # Sumiyati / Sumiati, Tukiyem / Tukiem
    (re.compile(r"uw(?=[aeiou])"), "u"),  # Muwardi / Muardi
    (re.compile(r"y\b"), "i"),  # Hendry / Hendri, Yuly / Yuli
    (re.compile(r"(.)\1+"), r"\1"),  # Sitti / Siti, Muhammad / Muhamad
]


@lru_cache(maxsize=1 << 16)
def spelling_neutral(name: str) -> str:
    """'Soetrisno' → 'sutrisno', 'Chotidjah' → 'hotijah', 'Achmad Fathoni' → 'ahmad
    fatoni': a normalised name in a form where old and variant spellings meet."""
    text = normalise_name(name)
    old = bool(OLD_MARKS.search(text))
    for before, after in OLD_SPELLING:
        text = text.replace(before, after)
    if old:
        text = text.replace("j", "y")
    text = text.replace("\x00", "j")
    for pattern, replacement in VARIANTS:
        text = pattern.sub(replacement, text)
    return text


def search_names(*names: str) -> str:
    """The spelling-neutral forms of a claim's names, one per line, for the search
    column: a search term in the same form is found inside it (a line break, which
    no form holds, keeps a match within one name)."""
    return "\n".join(spelling_neutral(name or "") for name in names)
