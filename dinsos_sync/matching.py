"""Do two Indonesian names mean the same person? Titles, honorifics, the many
spellings of Muhammad and the 'bin/binti' patronymic are set aside before rapidfuzz
compares what is left, with and without spaces ("Nur Hadi" = "Nurhadi").

Names are also compared in a spelling-neutral form: the pre-1972 spelling still on old
documents and in registries (Soetrisno, Tjasmadi, Chotidjah) is brought to today's
(Sutrisno, Casmadi, Khotijah), and the common variants of Arabic-derived and Javanese
names are folded (Achmad/Ahmad, Fathonah/Fatonah, Sumiyati/Sumiati, Sitti/Siti).

Measured on the labelled pairs in tests/data/name_pairs.tsv by
benchmarks/bench_names.py (precision and recall at REGISTRY_NAME_MIN_SCORE)."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
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


def name_similarity(first: str, second: str) -> int:
    """0–100: how alike two names are once normalised, as written or spelling-neutral."""
    a, b = normalise_name(first), normalise_name(second)
    if not a or not b:
        return 0
    return round(max(_compare(a, b), _compare(spelling_neutral(first), spelling_neutral(second))))


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


def _expand_initials(a: list[str], b: list[str]) -> list[str]:
    """'sri w' against 'sri wahyuni' → 'sri wahyuni': a one-letter word stands for the
    word in the same place of the other name when that word starts with the letter."""
    if len(a) != len(b):
        return a
    return [
        other if len(word) == 1 and other.startswith(word) else word
        for word, other in zip(a, b, strict=True)
    ]


def _score(a: str, b: str) -> float:
    if not a or not b:
        return 0
    return max(
        fuzz.ratio(a, b),
        fuzz.token_sort_ratio(a, b),
        fuzz.ratio(a.replace(" ", ""), b.replace(" ", "")),
    )


def _compare(a: str, b: str) -> float:
    """Names of as many words are compared word by word (in order, or both sorted), and
    the weakest word decides: a shared first name lifts the whole-string ratio of two
    different people into the high 80s (Muhammad Ali / Muhammad Arif, Budi Hartono /
    Budi Harjono, Tri Wahyuni / Sri Wahyuni). Otherwise the whole strings are compared,
    which also joins split names (Nur Hadi / Nurhadi)."""
    words_a, words_b = a.split(), b.split()
    words_a, words_b = _expand_initials(words_a, words_b), _expand_initials(words_b, words_a)
    if len(words_a) == len(words_b) >= 2:
        in_order = min(fuzz.ratio(x, y) for x, y in zip(words_a, words_b, strict=True))
        pairs = zip(sorted(words_a), sorted(words_b), strict=True)
        return max(in_order, min(fuzz.ratio(x, y) for x, y in pairs))
    return _score(" ".join(words_a), " ".join(words_b))


@dataclass(frozen=True)
class Measure:
    precision: float
    recall: float
    false_matches: list[tuple[str, str, int]]
    missed_matches: list[tuple[str, str, int]]


def measure(pairs: Iterable[tuple[str, str, bool]], min_score: int) -> Measure:
    """Precision and recall of `name_similarity(a, b) >= min_score` on labelled pairs
    (a, b, same person?): what benchmarks/bench_names.py prints and the tests hold."""
    hits = false = missed = 0
    false_matches, missed_matches = [], []
    for a, b, same in pairs:
        score = name_similarity(a, b)
        matched = score >= min_score
        if matched and same:
            hits += 1
        elif matched:
            false += 1
            false_matches.append((a, b, score))
        elif same:
            missed += 1
            missed_matches.append((a, b, score))
    precision = hits / (hits + false) if hits + false else 1.0
    recall = hits / (hits + missed) if hits + missed else 1.0
    return Measure(precision, recall, false_matches, missed_matches)


def read_pairs(path) -> list[tuple[str, str, bool, str]]:
    """The labelled table (tests/data/name_pairs.tsv): name_a, name_b, same, kind."""
    import csv

    with open(path, encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        return [
            (row["name_a"], row["name_b"], row["same"] == "1", row["kind"])
            for row in csv.DictReader(lines, delimiter="\t")
        ]
