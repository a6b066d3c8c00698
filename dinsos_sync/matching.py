"""Do two Indonesian names mean the same person? Titles, honorifics, the many
spellings of Muhammad and the 'bin/binti' patronymic are set aside before rapidfuzz
compares what is left, with and without spaces ("Nur Hadi" = "Nurhadi").

Names are also compared in a spelling-neutral form: the pre-1972 spelling still on old
documents and in registries (Soetrisno, Tjasmadi, Chotidjah) is brought to today's
(Sutrisno, Casmadi, Khotijah), and the common variants of Arabic-derived and Javanese
names are folded (Achmad/Ahmad, Fathonah/Fatonah, Sumiyati/Sumiati, Sitti/Siti). Both
forms are santunan.names's, which the claim search uses too: one set of name rules.

On top of that form the matcher folds its own spelling families (`matching_key`:
ai/ae, f/v/p, Noor/Nur, the vowels of Arabic-derived names such as Rohman/Rahman and
Soleh/Saleh, final t/d, gh/g, ts/s, the Muhammad family), lets a dropped middle name
pass, and takes points off a pair that differs in a consonant (Sumiati / Sumiarti).
These folds are not santunan.names's: the stored search column stays as it is.

Measured on the labelled pairs in tests/data/name_pairs.tsv by
benchmarks/bench_names.py (precision and recall at REGISTRY_NAME_MIN_SCORE)."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from santunan.names import normalise_name, spelling_neutral

__all__ = [
    "matching_key",
    "measure",
    "name_similarity",
    "normalise_name",
    "read_pairs",
    "spelling_neutral",
]

# Spelling families the matcher folds on top of the spelling-neutral form, in order.
# They are the matcher's own: a search for "Patimah" need not list every Fatimah, and
# the stored search column (Claim.search_names) keeps santunan.names's rules unchanged.
FOLDS = [
    (re.compile(r"ae"), "ai"),  # Zaenal / Zainal, Maesaroh / Maisaroh, Junaedi / Junaidi
    (re.compile(r"(?<=i)j(?=[aeiou])"), ""),  # Sukijem / Sukiyem / Sukiem, Wagijo / Wagiyo
    (re.compile(r"gh"), "g"),  # Ghofur / Gofur, Ghozali / Gozali
    (re.compile(r"ts"), "s"),  # Kultsum / Kulsum, Utsman / Usman
    (re.compile(r"[fv]"), "p"),  # Fatimah / Patimah, Arif / Arip, Novi / Nofi
    (re.compile(r"(?<=[^aeiou\s])y(?=[aeiou])"), "i"),  # Maryam / Mariam, Paynem / Painem
    (re.compile(r"oh\b"), "ah"),  # Faizoh / Faizah, Hidayatulloh / Hidayatullah
    (re.compile(r"\broh(?=m|im)"), "rah"),  # Rohman / Rahman, Rohmat / Rahmat, Rohim / Rahim
    (re.compile(r"\bso(?=l[ei]h)"), "sa"),  # Soleh / Saleh, Solihin / Salihin
    (re.compile(r"\bkodir\b"), "kadir"),  # Qodir / Kodir / Kadir
    (re.compile(r"\bmusto"), "musta"),  # Mustofa / Mustafa
    (re.compile(r"t\b"), "d"),  # Ahmat / Ahmad, Rahmat / Rahmad, Muhamat
    (re.compile(r"\bm[ou]ham+[ae]d\b"), "muhamad"),  # Mokhamad, Mochamat, Mohamad
]
VOWELS = re.compile(r"[aeiou\s]")
# A consonant more, less or other in a word that is not one of the families above makes
# another name (Sumiati / Sumiarti, Sukiman / Sukirman, Supardi / Suwardi): fuzzy ratios
# of short names score such pairs in the low 90s, so they lose this much.
CONSONANT_PENALTY = 10


@lru_cache(maxsize=1 << 16)
def matching_key(name: str) -> str:
    """The spelling-neutral form with the matcher's spelling families folded:
    'Mochamat Zaenal Arifin' → 'muhamad zainal aripin', 'Noor Faizoh' → 'nur paizah'."""
    # Noor / Nur, Mahmood / Mahmud: the long vowel of Dutch-era transcription, set
    # apart before the doubled letters are merged.
    text = spelling_neutral(normalise_name(name).replace("oo", "u"))
    for pattern, replacement in FOLDS:
        text = pattern.sub(replacement, text)
    return text


def name_similarity(first: str, second: str) -> int:
    """0–100: how alike two names are once normalised, as written or in the matcher's
    spelling-neutral key."""
    a, b = normalise_name(first), normalise_name(second)
    if not a or not b:
        return 0
    return round(max(_compare(a, b), _compare(matching_key(first), matching_key(second))))


def _ratio(a: str, b: str) -> float:
    """fuzz.ratio, less CONSONANT_PENALTY when the two differ in their consonants."""
    score = fuzz.ratio(a, b)
    if a != b and VOWELS.sub("", a) != VOWELS.sub("", b):
        score -= CONSONANT_PENALTY
    return max(score, 0)


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
    score = max(
        fuzz.ratio(a, b),
        fuzz.token_sort_ratio(a, b),
        fuzz.ratio(a.replace(" ", ""), b.replace(" ", "")),
    )
    if a.replace(" ", "") != b.replace(" ", "") and VOWELS.sub("", a) != VOWELS.sub("", b):
        score -= CONSONANT_PENALTY
    return max(score, 0)


def _dropped_middle(short: list[str], long: list[str]) -> float | None:
    """'siti khasanah' against 'siti nur khasanah': a name of two words or more that is
    the other less one of its middle words scores its weakest word, less 5. The first
    and the last word must stay: 'Sri Wahyuni' is not 'Sri Wahyuni Ningsih'."""
    if len(short) < 2 or len(long) != len(short) + 1:
        return None
    best = None
    for gap in range(1, len(long) - 1):
        rest = long[:gap] + long[gap + 1 :]
        score = min(_ratio(x, y) for x, y in zip(short, rest, strict=True))
        best = score if best is None else max(best, score)
    return best - 5 if best is not None else None


def _compare(a: str, b: str) -> float:
    """Names of as many words are compared word by word (in order, or both sorted), and
    the weakest word decides: a shared first name lifts the whole-string ratio of two
    different people into the high 80s (Muhammad Ali / Muhammad Arif, Budi Hartono /
    Budi Harjono, Tri Wahyuni / Sri Wahyuni). Otherwise the whole strings are compared,
    which also joins split names (Nur Hadi / Nurhadi)."""
    words_a, words_b = a.split(), b.split()
    words_a, words_b = _expand_initials(words_a, words_b), _expand_initials(words_b, words_a)
    if len(words_a) == len(words_b) >= 2:
        in_order = min(_ratio(x, y) for x, y in zip(words_a, words_b, strict=True))
        pairs = zip(sorted(words_a), sorted(words_b), strict=True)
        return max(in_order, min(_ratio(x, y) for x, y in pairs))
    whole = _score(" ".join(words_a), " ".join(words_b))
    short, long = sorted((words_a, words_b), key=len)
    dropped = _dropped_middle(short, long)
    return whole if dropped is None else max(whole, dropped)


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
