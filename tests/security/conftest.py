"""The other village's objects that the URL sweeps (pages and API) aim at."""

import pytest

from tests.conftest import DESA_B
from tests.santunan.factories import draft_claim, submitted_claim


@pytest.fixture
def other_village(operator_b, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    submitted = submitted_claim(operator_b)
    draft = draft_claim(operator_b, deceased_nik="3325014507800002", heir_nik="3325011203500001")
    document = draft.documents.first()
    assert submitted.desa_id == DESA_B
    return {"pk": submitted.pk, "claim_pk": draft.pk, "document_pk": document.pk}
