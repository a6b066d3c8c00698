"""The labelled name pairs (tests/data/name_pairs.tsv) and the matcher's quality on
them at the threshold in use."""

from pathlib import Path

import pytest
from django.conf import settings

from dinsos_sync.matching import (
    matching_key,
    measure,
    name_similarity,
    read_pairs,
    spelling_neutral,
)

TABLE = Path(__file__).resolve().parent.parent / "data" / "name_pairs.tsv"


def test_the_table_loads_with_at_least_500_labelled_pairs_of_every_kind():
    pairs = read_pairs(TABLE)

    assert len(pairs) >= 500
    assert {kind for *_names, kind in pairs} >= {
        "old_spelling",
        "javanese",
        "arabic",
        "title",
        "abbreviation",
        "different",
        "arabic_vowel",
        "ai_ae",
        "f_p",
        "q_k",
        "kh_ch_h",
        "oe_u",
        "dj_j",
        "tj_c",
        "dropped_name",
        "different_similar",
    }
    assert sum(1 for p in pairs if p[2]) >= 250 and sum(1 for p in pairs if not p[2]) >= 250
    assert all(a.strip() and b.strip() for a, b, _same, _kind in pairs)
    unordered = [frozenset((a.lower(), b.lower())) for a, b, _same, _kind in pairs]
    assert len(set(unordered)) == len(unordered), "a pair is listed twice"


def test_the_matcher_meets_the_precision_and_recall_targets():
    pairs = [(a, b, same) for a, b, same, _kind in read_pairs(TABLE)]

    result = measure(pairs, settings.REGISTRY_NAME_MIN_SCORE)

    assert result.precision >= 0.98, result.false_matches
    assert result.recall >= 0.95, result.missed_matches


def test_old_spellings_meet_todays():
    assert spelling_neutral("Soetrisno") == "sutrisno"
    assert spelling_neutral("Tjasmadi") == "casmadi"
    assert spelling_neutral("Chotidjah") == spelling_neutral("Khotijah")
    assert spelling_neutral("Sjamsudin Njoman") == "syamsudin nyoman"


def test_j_is_read_as_y_only_in_a_name_written_the_old_way():
    assert name_similarity("Soejono", "Suyono") == 100
    assert name_similarity("Sujono", "Suyono") < settings.REGISTRY_NAME_MIN_SCORE


def test_a_shared_first_name_does_not_make_two_people_one():
    assert name_similarity("Muhammad Ali", "Muhammad Arif") < 60
    assert name_similarity("Budi Hartono", "Budi Harjono") < settings.REGISTRY_NAME_MIN_SCORE


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Mochamat Ilyas", "Muhamad Ilyas"),
        ("Mokhamad Fauzi", "Muhammad Fauzi"),
        ("Noor Hidayah", "Nur Hidayah"),
        ("Abdoel Rochman", "Abdul Rohman"),
        ("Sitti Maryam", "Siti Mariam"),
        ("Zaenal Arifin", "Zainal Arifin"),
        ("Siti Fatimah", "Siti Patimah"),
        ("Arif Hidayat", "Arip Hidayat"),
        ("Qomariyah", "Komariah"),
        ("Khoirul Anam", "Choirul Anam"),
        ("Hoirul Huda", "Khoirul Huda"),
        ("Soekarno", "Sukarno"),
        ("Djamilah", "Jamilah"),
        ("Tjitro", "Citro"),
        ("Siti Nur Khasanah", "Siti Khasanah"),
    ],
)
def test_spelling_families_of_one_name_match(first, second):
    assert name_similarity(first, second) >= settings.REGISTRY_NAME_MIN_SCORE


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Sri Wahyuni", "Sri Wahyuningsih"),
        ("Sri Wahyuni", "Sri Wahyuni Ningsih"),
        ("Agus Santoso", "Budi Santoso"),
        ("Nur Hidayah", "Nur Hidayat"),
        ("Sumiati", "Sumiarti"),
        ("Sukiman", "Sukirman"),
        ("Supardi", "Suwardi"),
        ("Tukinem", "Tukiyem"),
        ("Arif", "Aris"),
    ],
)
def test_different_people_with_names_alike_stay_apart(first, second):
    assert name_similarity(first, second) < settings.REGISTRY_NAME_MIN_SCORE


def test_the_matcher_folds_spelling_families_into_one_key():
    assert matching_key("Mochamat Zaenal Arifin") == matching_key("Muhammad Zainal Aripin")
    assert matching_key("Noor Faizoh") == matching_key("Nur Faizah")
