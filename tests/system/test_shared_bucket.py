"""Two app servers sharing one database and one S3-compatible bucket, as a province
runs several behind a load balancer: a document uploaded through one server is
downloaded intact through the other, and someone without the right to the claim gets
nothing from either."""

import hashlib
import uuid

import pytest

from tests.s3server import S3Server
from tests.santunan.factories import png_bytes
from tests.system.crawler import Crawler
from tests.system.stack import Stack, demo_passwords, demo_totp_secrets, free_port

pytestmark = [pytest.mark.system]


@pytest.fixture(scope="module")
def s3(tmp_path_factory):
    server = S3Server().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def stack(tmp_path_factory, s3):
    bucket = s3.new_bucket()
    stack = Stack(tmp_path_factory.mktemp("shared-bucket"), **s3.environment(bucket))
    stack.bucket = bucket
    try:
        stack.manage("migrate", "--noinput")
        stack.manage("load_wilayah", "villages/data/batang_wilayah.csv")
        accounts = stack.manage("create_demo_accounts")
        stack.passwords, stack.secrets = demo_passwords(accounts), demo_totp_secrets(accounts)
        stack.start_web()
        # The second app server: its own process and port, same database and bucket,
        # and a media folder of its own that must stay unused.
        stack.env["MEDIA_ROOT"] = str(stack.workdir / "media-second")
        stack.second_url = stack.start_web("web-second", free_port())
        yield stack
    finally:
        stack.stop()


def login(url: str, stack, role: str) -> Crawler:
    person = Crawler(url)
    person.login(role, stack.passwords[role], stack.secrets.get(role))
    return person


def multipart(fields: dict[str, str], name: str, filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ) + (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
        f'filename="{filename}"\r\nContent-Type: image/png\r\n\r\n'
    ).encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def test_a_document_uploaded_through_one_server_is_downloaded_intact_through_the_other(
    stack, s3
):
    claim_pk = stack.query(
        "from django.contrib.auth.models import User\n"
        "from santunan.services import create_claim\n"
        "from tests.santunan.factories import claim_data\n"
        "claim = create_claim(user=User.objects.get(username='operator'), data=claim_data())\n"
        "result = claim.pk"
    )
    # A phone photo's size: large enough to arrive in many chunks.
    photo = png_bytes((60, 40)) + uuid.uuid4().bytes * 65536
    first = login(stack.url, stack, "operator")
    path = f"/desa/klaim/{claim_pk}/dokumen/"
    token = first.fetch(path)[2].split('name="csrfmiddlewaretoken" value="', 1)[1].split('"')[0]

    body, content_type = multipart({"csrfmiddlewaretoken": token}, "doc-kk", "kk.png", photo)
    assert first.send(path, body, content_type) in (200, 302)

    document = stack.query(
        f"from santunan.models import ClaimDocument\n"
        f"d = ClaimDocument.objects.get(claim_id={claim_pk}, kind='kk')\n"
        "result = [d.pk, d.file.name, d.sha256]"
    )
    document_pk, name, recorded = document
    assert recorded == hashlib.sha256(photo).hexdigest()
    assert list(s3.objects(stack.bucket)) == [name]

    second = login(stack.second_url, stack, "operator")
    request = second.opener.open(f"{stack.second_url}/klaim/{claim_pk}/dokumen/{document_pk}/")
    with request as response:
        downloaded = response.read()
        assert response.status == 200
        assert response.headers["Cache-Control"] == "private, no-store"

    assert hashlib.sha256(downloaded).hexdigest() == recorded
    # Neither server wrote the document to its own disk.
    assert not any(p.is_file() for p in (stack.workdir / "media").rglob("*"))
    assert not any(p.is_file() for p in (stack.workdir / "media-second").rglob("*"))

    verifier = login(stack.second_url, stack, "verifikator")  # a draft is the village's only
    assert verifier.fetch(f"/klaim/{claim_pk}/dokumen/{document_pk}/")[0] == 404
