"""Do two Indonesian names mean the same person? Titles, honorifics, the many
spellings of Muhammad and the 'bin/binti' patronymic are set aside before rapidfuzz
compares what is left, with and without spaces ("Nur Hadi" = "Nurhadi").

Names are also compared in a spelling-neutral form: the pre-1972 spelling still on old
documents and in registries (Soetrisno, Tjasmadi, Chotidjah) is brought to today's
(Sutrisno, Casmadi, Khotijah), and the common variants of Arabic-derived and Javanese
names are folded (Achmad/Ahmad, Fathonah/Fatonah, Sumiyati/Sumiati, Sitti/Siti). Both
forms are santunan.names's, which the claim search uses too: one set of name rules.

Measured on the labelled pairs in tests/data/name_pairs.tsv by
benchmarks/bench_names.py (precision and recall at REGISTRY_NAME_MIN_SCORE)."""

from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from santunan.names import normalise_name, spelling_neutral

__all__ = ["measure", "name_similarity", "normalise_name", "read_pairs", "spelling_neutral"]


def name_similarity(first: str, second: str) -> int:
    """0–100: how alike two names are once normalised, as written or spelling-neutral."""
    a, b = normalise_name(first), normalise_name(second)
    if not a or not b:
        return 0
    return round(max(_compare(a, b), _compare(spelling_neutral(first), spelling_neutral(second))))


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
