"""Backup and restore: the demo goes out to one archive and comes back whole, files
included; a damaged or hostile archive, or a site that is not empty, restores nothing."""

import hashlib
import io
import json
import tarfile

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.management import call_command

from scrutiny import backup

pytestmark = pytest.mark.django_db(transaction=True)


def _counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in backup._models_kept()}


def _files() -> dict[str, str]:
    found = {}
    for name in backup._stored_files():
        with default_storage.open(name, "rb") as handle:
            found[name] = hashlib.sha256(handle.read()).hexdigest()
    return found


def _data_without_backup_events(archive_path) -> list[dict]:
    with tarfile.open(archive_path, "r:gz") as archive:
        rows = json.load(archive.extractfile("data.json"))
    return [
        row
        for row in rows
        if not (row["model"] == "exempt.accesslog" and row["fields"]["event"].startswith("backup"))
    ]


def _empty_the_site(settings, tmp_path):
    call_command("flush", interactive=False, verbosity=0)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "scrutiny.storage.PrivateStorage",
            "OPTIONS": {"location": tmp_path / "new-site", "base_url": None},
        },
    }


def test_the_demo_round_trips_with_its_files(demo_data, tmp_path, settings):
    from meetings.models import Meeting
    from search.models import SearchEntry

    first = tmp_path / "first.tar.gz"
    counts, files = _counts(), _files()
    entries = SearchEntry.objects.count()
    assert counts["meetings.Meeting"] >= 3 and counts["papers.DocumentVersion"] > 0
    assert len(files) > 5  # uploads, packs and minutes PDFs
    summary = backup.backup_export(path=first)
    assert summary.files == len(files)

    _empty_the_site(settings, tmp_path)
    assert backup.instance_is_empty()
    out = io.StringIO()
    call_command("backup_restore", str(first), stdout=out)
    assert f"Restored {summary.records} records and {summary.files} files" in out.getvalue()

    assert _counts() | {"exempt.AccessLog": 0} == counts | {"exempt.AccessLog": 0}
    assert _files() == files
    assert SearchEntry.objects.count() == entries  # the index was rebuilt
    # The restore is in the audit log.
    from exempt.models import AccessEvent, AccessLog

    assert AccessLog.objects.filter(event=AccessEvent.BACKUP_RESTORED).count() == 1

    # A backup of the restored site holds what the first one held.
    second = tmp_path / "second.tar.gz"
    backup.backup_export(path=second)
    assert _data_without_backup_events(second) == _data_without_backup_events(first)

    # And the site works: a meeting page with its pack.
    from django.test import Client

    meeting = Meeting.objects.filter(packs__file__gt="").first()
    page = Client().get(meeting.get_absolute_url(), HTTP_HOST="127.0.0.1")
    assert page.status_code == 200
    pack = Client().get(f"/meetings/{meeting.pk}/packs/public.pdf", HTTP_HOST="127.0.0.1")
    assert pack.status_code == 200
    assert b"".join(pack.streaming_content).startswith(b"%PDF")


def _archive(tmp_path, members: dict[str, bytes], manifest: dict | None = None):
    path = tmp_path / "made.tar.gz"
    sums = {name: hashlib.sha256(data).hexdigest() for name, data in members.items()}
    manifest = manifest or {
        "format": backup.FORMAT,
        "created_at": "2026-11-01T00:00:00+00:00",
        "migrations": backup._migrations(),
        "records": 0,
        "files": 0,
        "sha256": sums,
    }
    members = {**members, "manifest.json": json.dumps(manifest).encode()}
    with tarfile.open(path, "w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


@pytest.mark.parametrize(
    ("members", "says"),
    [
        ({"data.json": b"[]", "../escaped.txt": b"x"}, "which no backup holds"),
        ({"data.json": b"[]", "/etc/cron.d/x": b"x"}, "which no backup holds"),
        ({"data.json": b"[]", "settings.py": b"x"}, "which no backup holds"),
    ],
)
def test_a_hostile_archive_restores_nothing(tmp_path, members, says):
    path = _archive(tmp_path, members)
    with pytest.raises(ValidationError, match=says):
        backup.backup_restore(path=path)
    assert not (tmp_path.parent / "escaped.txt").exists()


def test_a_damaged_archive_restores_nothing(tmp_path, django_user_model):
    data = json.dumps(
        [{"model": "scrutiny.committee", "pk": 1, "fields": {"name": "X", "slug": "x"}}]
    ).encode()
    path = _archive(tmp_path, {"data.json": data, "files/papers/a.pdf": b"%PDF-1.7"})
    # Tamper with a file after its checksum was written.
    with tarfile.open(path, "r:gz") as archive:
        members = {m.name: archive.extractfile(m).read() for m in archive.getmembers()}
    manifest = json.loads(members.pop("manifest.json"))
    members["files/papers/a.pdf"] = b"%PDF-1.7 altered"
    path = _archive(tmp_path, members, manifest)
    with pytest.raises(ValidationError, match="is damaged"):
        backup.backup_restore(path=path)
    from scrutiny.models import Committee

    assert not Committee.objects.exists()
    assert backup._stored_files() == []

    with pytest.raises(ValidationError, match="not a backup archive"):
        (tmp_path / "junk.tar.gz").write_bytes(b"not an archive")
        backup.backup_restore(path=tmp_path / "junk.tar.gz")


def test_another_schema_or_a_site_that_is_not_empty_is_refused(tmp_path, django_user_model):
    other = _archive(
        tmp_path,
        {"data.json": b"[]"},
        {
            "format": backup.FORMAT,
            "created_at": "2026-11-01T00:00:00+00:00",
            "migrations": [["meetings", "0099_future"]],
            "records": 0,
            "files": 0,
            "sha256": {"data.json": hashlib.sha256(b"[]").hexdigest()},
        },
    )
    with pytest.raises(ValidationError, match="another version of Scrutiny"):
        backup.backup_restore(path=other)
    django_user_model.objects.create_user("someone", password="x" * 12)
    with pytest.raises(ValidationError, match="This site is not empty"):
        backup.backup_restore(path=_archive(tmp_path, {"data.json": b"[]"}))


def test_every_model_is_kept_or_knowingly_left_out():
    labels = {m._meta.label_lower for m in apps.get_models()}
    assert labels >= backup.LEFT_OUT  # a renamed model would silently be backed up


def test_records_of_left_out_tables_and_reserved_folders_are_refused(tmp_path):
    from search.models import SearchEntry

    injected = json.dumps(
        [
            {
                "model": "search.searchentry",
                "pk": 1,
                "fields": {"title": "Confidential: the tender prices", "text": "secret"},
            }
        ]
    ).encode()
    with pytest.raises(ValidationError, match="records no backup holds"):
        backup.backup_restore(path=_archive(tmp_path, {"data.json": injected}))
    assert not SearchEntry.objects.exists()
    with pytest.raises(ValidationError, match="which no backup holds"):
        backup.backup_restore(
            path=_archive(tmp_path, {"data.json": b"[]", "files/healthz/hidden.txt": b"x"})
        )


def test_a_manifest_that_lies_about_its_fields_is_refused(tmp_path):
    for manifest in (
        {"format": backup.FORMAT},
        {
            "format": backup.FORMAT,
            "created_at": "\x1b[2Jnot a date",
            "migrations": [],
            "records": 0,
            "files": 0,
            "sha256": {},
        },
    ):
        with pytest.raises(ValidationError, match="manifest is not one backup_export writes"):
            backup.backup_restore(path=_archive(tmp_path, {"data.json": b"[]"}, manifest))


def test_the_archive_is_readable_by_its_owner_only(tmp_path):
    import stat

    path = tmp_path / "backup.tar.gz"
    backup.backup_export(path=path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
