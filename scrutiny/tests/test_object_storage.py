"""Files on S3-compatible object storage: uploads, pack builds, downloads, backup and
restore, against an S3 server these tests start on loopback (moto in server mode),
through django-storages and boto3, with nothing written to the local disk."""

import datetime
import hashlib
import io
import socket
import subprocess
import sys
import uuid
import zoneinfo

import pytest
from django.core.management import call_command
from django.urls import reverse

from scrutiny.testing import body_of, pdf_bytes, text_of, upload
from scrutiny.tests.fault_services import free_port, wait_for

pytestmark = pytest.mark.services


@pytest.fixture(scope="module")
def s3_server():
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def answers():
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True

    wait_for(answers, what="the S3 server")
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=30)


@pytest.fixture
def bucket(s3_server, monkeypatch, settings, tmp_path):
    """A new bucket, made the site's file storage (the local folder stays unused)."""
    import boto3

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "scrutiny-test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "scrutiny-test-secret")
    name = f"council-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=s3_server, region_name="eu-west-2")
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
    use_bucket(settings, s3_server, name)
    return Bucket(client, name)


def use_bucket(settings, endpoint: str, name: str, prefix: str = "dartford"):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "scrutiny.storage.PrivateS3Storage",
            "OPTIONS": {
                "bucket_name": name,
                "endpoint_url": endpoint,
                "region_name": "eu-west-2",
                "location": prefix,
                "file_overwrite": False,
                "default_acl": None,
            },
        },
    }


class Bucket:
    def __init__(self, client, name):
        self.client = client
        self.name = name

    def object_keys(self) -> list[str]:
        listed = self.client.list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()


def published_meeting_with_papers(committee, coordinator):
    from meetings.services import agenda_item_add, agenda_publish, meeting_create
    from packs.services import packs_build
    from papers.services import document_upload

    meeting = meeting_create(
        committee=committee,
        starts_at=datetime.datetime(2030, 2, 20, 19, tzinfo=zoneinfo.ZoneInfo("Europe/London")),
        venue="Council Chamber",
    )
    item = agenda_item_add(meeting=meeting, title="Community Safety Partnership update")
    public = document_upload(
        item=item, title="Performance", uploaded_file=upload(pdf_bytes(2)), user=coordinator
    )
    exempt = agenda_item_add(
        meeting=meeting, title="Assessment", exempt_paragraph=3, exempt_reason="x"
    )
    document_upload(
        item=exempt, title="Assessment", uploaded_file=upload(pdf_bytes(3)), user=coordinator
    )
    agenda_publish(meeting=meeting)
    assert packs_build(meeting_id=meeting.pk) == "built"
    return meeting, public


@pytest.mark.django_db
def test_uploads_packs_and_downloads_work_from_a_bucket(
    bucket, committee, coordinator, coordinator_client, tmp_path, django_capture_on_commit_callbacks
):
    from django.test import Client

    from packs.models import Pack, PackKind

    meeting, document = published_meeting_with_papers(committee, coordinator)
    keys = bucket.object_keys()
    assert all(key.startswith("dartford/") for key in keys)
    assert any(key.startswith("dartford/packs/") for key in keys)
    assert sum(1 for key in keys if "/papers/" in key or key.startswith("dartford/papers")) >= 2
    assert not (tmp_path / "private").exists()  # nothing on the local disk

    reader = Client(HTTP_HOST="127.0.0.1")
    public_pack = Pack.objects.get(meeting=meeting, kind=PackKind.PUBLIC)
    response = reader.get(reverse("packs:pack_download", args=[meeting.pk, "public"]))
    assert response.status_code == 200
    assert body_of(response) == bucket.read(f"dartford/{public_pack.file.name}")
    response = reader.get(reverse("papers:document_download", args=[document.pk]))
    assert response.status_code == 200 and body_of(response).startswith(b"%PDF")
    # The exempt pack: refused to the public, watermarked for the co-ordinator.
    assert reader.get(reverse("packs:pack_download", args=[meeting.pk, "exempt"])).status_code in (
        302,
        403,
    )
    exempt = coordinator_client.get(reverse("packs:pack_download", args=[meeting.pk, "exempt"]))
    assert exempt.status_code == 200 and body_of(exempt).startswith(b"%PDF")

    # A rebuild writes a new object and removes the old one once it has committed.
    old_key = f"dartford/{public_pack.file.name}"
    from packs.services import packs_build, packs_request_build

    with django_capture_on_commit_callbacks(execute=True):
        packs_request_build(meeting=meeting, delay=0)
    with django_capture_on_commit_callbacks(execute=True):
        packs_build(meeting_id=meeting.pk)
    public_pack.refresh_from_db()
    keys = bucket.object_keys()
    assert f"dartford/{public_pack.file.name}" in keys
    assert old_key not in keys
    meeting_page = text_of(reader.get(meeting.get_absolute_url()))
    assert f"Download the {public_pack.get_kind_display().lower()}" in meeting_page


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_between_buckets(
    bucket, s3_server, committee, coordinator, settings, tmp_path
):
    from django.test import Client

    from scrutiny import backup

    meeting, document = published_meeting_with_papers(committee, coordinator)
    before = {key.removeprefix("dartford/"): bucket.read(key) for key in bucket.object_keys()}
    archive = tmp_path / "backup.tar.gz"
    summary = backup.backup_export(path=archive)
    assert summary.files == len(before)

    call_command("flush", interactive=False, verbosity=0)
    import boto3

    other = f"restored-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=s3_server, region_name="eu-west-2")
    client.create_bucket(
        Bucket=other, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
    )
    use_bucket(settings, s3_server, other, prefix="restored")
    call_command("backup_restore", str(archive), stdout=io.StringIO())

    restored = Bucket(client, other)
    after = {key.removeprefix("restored/"): restored.read(key) for key in restored.object_keys()}
    assert {k: hashlib.sha256(v).digest() for k, v in after.items()} == {
        k: hashlib.sha256(v).digest() for k, v in before.items()
    }
    reader = Client(HTTP_HOST="127.0.0.1")
    response = reader.get(reverse("papers:document_download", args=[document.pk]))
    assert response.status_code == 200 and body_of(response).startswith(b"%PDF")
    response = reader.get(reverse("packs:pack_download", args=[meeting.pk, "public"]))
    assert response.status_code == 200 and body_of(response).startswith(b"%PDF")
