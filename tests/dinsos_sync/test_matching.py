import pytest

from dinsos_sync.matching import name_similarity, normalise_name

MIN_SCORE = 90  # REGISTRY_NAME_MIN_SCORE's default

SAME_PERSON = [
    ("H. Moh. Slamet", "MUHAMMAD SLAMET"),
    ("Hj. Siti Aminah", "ST AMINAH"),
    ("Alm. Sutrisno bin Karto", "SUTRISNO"),
    ("Almh. Sri Wahyuni", "Sri Wahyuni"),
    ("Drs. Bambang Sutejo", "BAMBANG SUTEJO"),
    ("Nurhadi", "Nur Hadi"),
    ("Mochammad  Ridwan", "Mohammad Ridwan"),
    ("Muh. Ridwan", "Mochammad Ridwan"),
    ("Tukiyem binti Sastro", "TUKIYEM"),
    ("Ahmad Fauzi, S.Pd.", "AHMAD FAUZI"),
    ("Achmad Sholeh", "Ahmad Soleh"),
    ("Sumiyati", "Sumiati"),
    ("siti  khotimah.", "SITI KHOTIMAH"),
]
DIFFERENT_PEOPLE = [
    ("Siti Aminah", "Siti Khodijah"),
    ("Slamet Riyadi", "Sutrisno"),
    ("Muhammad Ali", "Muhammad Ilham"),
    ("Sri Wahyuni", "Sri Wahyuningsih"),
    ("Wahyudi", "Wahyuni"),
    ("Ahmad Fauzi", "Achmad Fauzan"),
    ("Sutrisno", "Sutarno"),
    ("Siti", "Siti Aminah"),
]


@pytest.mark.parametrize(("claimed", "registered"), SAME_PERSON)
def test_it_matches_the_same_person_written_differently(claimed, registered):
    assert name_similarity(claimed, registered) >= MIN_SCORE


@pytest.mark.parametrize(("claimed", "registered"), DIFFERENT_PEOPLE)
def test_it_does_not_match_different_people(claimed, registered):
    assert name_similarity(claimed, registered) < MIN_SCORE


def test_it_sets_titles_honorifics_and_the_fathers_name_aside():
    assert normalise_name("H. Moh. Slamet bin Karto") == "muhammad slamet"
    assert normalise_name("Almh. Hj. St. Aminah") == "siti aminah"


def test_an_empty_name_matches_nothing():
    assert name_similarity("", "Slamet") == 0
