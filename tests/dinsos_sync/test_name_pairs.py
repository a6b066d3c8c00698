"""The labelled name pairs (tests/data/name_pairs.tsv) and the matcher's quality on
them at the threshold in use."""

from pathlib import Path

from django.conf import settings

from dinsos_sync.matching import measure, name_similarity, read_pairs, spelling_neutral

TABLE = Path(__file__).resolve().parent.parent / "data" / "name_pairs.tsv"


def test_the_table_loads_with_at_least_200_labelled_pairs_of_every_kind():
    pairs = read_pairs(TABLE)

    assert len(pairs) >= 200
    assert {kind for *_names, kind in pairs} >= {
        "old_spelling",
        "javanese",
        "arabic",
        "title",
        "abbreviation",
        "different",
    }
    assert sum(1 for p in pairs if p[2]) >= 100 and sum(1 for p in pairs if not p[2]) >= 100
    assert all(a.strip() and b.strip() for a, b, _same, _kind in pairs)


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
