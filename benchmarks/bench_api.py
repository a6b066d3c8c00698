"""The API's performance (issue 13), one JSON line per figure:

- filing a claim through the API: create the draft, upload four 1 MB documents (one
  request each), submit; median server time per claim through Django's test client
  with a bearer token on PostgreSQL (target ≤ 150 ms);
- the list endpoints at 200,000 claims: the verifier's queue (a kecamatan filter, as
  bench_claims.py measures the web page), its next cursor page, and the village's own
  claims, median server time (target ≤ 50 ms).

It uses bench_claims.py's database of 200,000 claims (BENCH_CLAIMS_DATABASE, filled by
generate_claims when it holds fewer than BENCH_QUEUE_CLAIMS) and its helpers. The claims
are filed first, so the queue of the kecamatan holds at least those. Quick mode
(common.py): bench_claims.py's few hundred claims, and pages of two claims so that the
queue still has a next page to follow."""

import json
import random
import sys
import tempfile
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_claims  # noqa: E402
from bench_claims import DESA, SUBMISSIONS, WARMUP, emit, median_ms, user  # noqa: E402
from common import QUICK  # noqa: E402

# The queue's page size: the API's own in full; two in quick mode, so a next page exists.
QUEUE = {"kecamatan": "33.25.01", **({"page_size": 2} if QUICK else {})}


def one_mb_documents() -> dict[str, tuple[str, bytes]]:
    """The same four 1 MB documents as bench_claims.py: PNG noise and a padded PDF."""
    import io

    from PIL import Image

    rng = random.Random(1)
    files = {}
    for kind in ("kk", "ktp_almarhum", "ktp_ahli_waris"):
        noise = Image.frombytes("RGB", (580, 580), rng.randbytes(580 * 580 * 3))
        buffer = io.BytesIO()
        noise.save(buffer, format="PNG")
        files[kind] = (f"{kind}.png", buffer.getvalue())
    files["surat_kematian"] = (
        "surat.pdf",
        b"%PDF-1.4\n" + b"0" * (1024 * 1024 - 20) + b"\n%%EOF\n",
    )
    return files


def api_client(account):
    from django.test import Client

    from api.services import issue_token

    _token, key = issue_token(user=account, name="bench")
    return Client(), {"Authorization": f"Bearer {key}"}


def bench_file_claim() -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
    from django.utils import timezone

    from santunan.models import Claim
    from villages.roles import Role

    client, auth = api_client(user("bench.operator", Role.OPERATOR_DESA, DESA))
    # Each upload's body encoded once, outside the timing, as a phone would have it ready.
    bodies = {
        kind: encode_multipart(BOUNDARY, {"kind": kind, "file": SimpleUploadedFile(name, content)})
        for kind, (name, content) in one_mb_documents().items()
    }
    rng = random.Random()

    def fresh_nik() -> str:
        while True:
            nik = f"3325150101{rng.randint(30, 69)}{rng.randint(1, 9999):04d}"
            if not Claim.objects.filter(deceased_nik=nik).exists():
                return nik

    def post(path, **kwargs):
        headers = {**auth, "Idempotency-Key": uuid.uuid4().hex}
        return client.generic("POST", path, headers=headers, **kwargs)

    def file_claim():
        nik = fresh_nik()
        data = {
            "deceased_nik": nik,
            "deceased_name": "Tukiyem",
            "deceased_sex": "L",
            "deceased_birth_date": f"19{nik[10:12]}-01-01",
            "death_date": (timezone.localdate() - timezone.timedelta(days=3)).isoformat(),
            "deceased_kk": "3325150101090001",
            "deceased_address": "Dukuh Krajan RT 01/02",
            "heir_nik": "3325154507800002",
            "heir_name": "Siti Aminah",
            "heir_relation": "anak",
            "heir_phone": "081234567890",
            "payout_method": "tunai",
        }
        created = post("/api/v1/claims/", data=json.dumps(data), content_type="application/json")
        assert created.status_code == 201, created.content
        pk = created.json()["id"]
        for body in bodies.values():
            stored = post(
                f"/api/v1/claims/{pk}/documents/", data=body, content_type=MULTIPART_CONTENT
            )
            assert stored.status_code == 201, stored.content
        submitted = post(f"/api/v1/claims/{pk}/submit/")
        assert submitted.status_code == 200, submitted.content

    emit(
        name="api_file_claim_with_four_1mb_documents_median",
        value=median_ms(file_claim, SUBMISSIONS),
        unit="ms",
        target=150,
        requests_per_claim=6,
        warmup=WARMUP,
    )


def bench_lists() -> None:
    from santunan.models import Claim
    from villages.roles import Role

    claims = Claim.objects.count()
    verifier, auth = api_client(user("bench.verifikator", Role.VERIFIKATOR))
    first = verifier.get("/api/v1/claims/queue/", QUEUE, headers=auth)
    assert first.status_code == 200, first.content
    next_page = first.json()["next"]
    assert next_page, "the queue has no next page to measure"

    def queue():
        response = verifier.get("/api/v1/claims/queue/", QUEUE, headers=auth)
        assert response.status_code == 200

    def queue_next():
        response = verifier.get(next_page, headers=auth)
        assert response.status_code == 200

    village, village_auth = api_client(user("bench.operator", Role.OPERATOR_DESA, DESA))

    def village_list():
        response = village.get("/api/v1/claims/", headers=village_auth)
        assert response.status_code == 200

    emit(
        name="api_verifier_queue_median",
        value=median_ms(queue),
        unit="ms",
        target=50,
        claims=claims,
    )
    emit(
        name="api_verifier_queue_next_page_median",
        value=median_ms(queue_next),
        unit="ms",
        target=50,
    )
    emit(
        name="api_village_claims_median",
        value=median_ms(village_list),
        unit="ms",
        target=50,
        desa_claims=Claim.objects.filter(desa_id=DESA).count(),
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as workdir:
        bench_claims.setup(Path(workdir))
        from django.conf import settings

        # One token makes hundreds of requests here; the budget is not what is measured.
        settings.API_THROTTLE_RATE = "1000000/min"
        bench_claims.fill(bench_claims.TOTAL)
        bench_file_claim()
        bench_lists()


if __name__ == "__main__":
    main()
