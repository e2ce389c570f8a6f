"""Backup and restore: everything (the database and the files) in one archive.

The archive is a gzipped tar holding `manifest.json` (format, when, the schema's
migrations, a SHA-256 for every other member), `data.json` (every table, as Django's
serializer writes it, with natural keys for content types and permissions) and
`files/<name>` for every file in storage, read and written through Django's storage
API, so the same commands work with files on disk or in object storage.

Left out, and rebuilt or not needed: the search index (rebuilt on restore), sessions,
sign-in lock-outs, tasks waiting for the queue and the record of sent e-mails.

The archive holds password hashes and second-factor secrets: keep it encrypted.
"""

import datetime
import hashlib
import io
import json
import logging
import os
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from exempt.models import AccessEvent

logger = logging.getLogger(__name__)

FORMAT = "scrutiny-backup/1"
LEFT_OUT = {
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "axes.accessattempt",
    "axes.accessfailurelog",
    "axes.accessattemptexpiration",
    "axes.accesslog",
    "search.searchentry",
    "scrutiny.undeliveredtask",
    "scrutiny.sentmail",
}
# Folders of storage that hold nothing to keep (the health check's probe).
SKIPPED_FOLDERS = {"healthz"}
CHUNK = 1024 * 1024


@dataclass
class Summary:
    records: int
    files: int
    created_at: str


def _models_kept():
    return [m for m in apps.get_models() if m._meta.label_lower not in LEFT_OUT]


def _migrations() -> list[list[str]]:
    applied = MigrationRecorder(connections[DEFAULT_DB_ALIAS]).applied_migrations()
    return sorted([app, name] for app, name in applied)


def _stored_files(folder: str = "") -> list[str]:
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:  # a store with nothing in it yet, on disk
        return []
    names = [f"{folder}/{name}" if folder else name for name in files]
    for sub in folders:
        if not folder and sub in SKIPPED_FOLDERS:
            continue
        names.extend(_stored_files(f"{folder}/{sub}" if folder else sub))
    return sorted(names)


def _sha256(handle) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(CHUNK), b""):
        digest.update(chunk)
    return digest.hexdigest()


def _add(archive: tarfile.TarFile, name: str, handle, size: int) -> None:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    archive.addfile(info, handle)


def backup_export(*, path: Path, by=None) -> Summary:
    """Write the archive to `path` (a file on this machine). Reads in one transaction, so
    the data is one consistent moment; files are those the data names, and any others."""
    created_at = timezone.now().isoformat()
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="scrutiny-backup-") as work:
        data_path = Path(work) / "data.json"
        with transaction.atomic():
            if connections[DEFAULT_DB_ALIAS].vendor == "postgresql":
                with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            labels = [m._meta.label for m in _models_kept()]
            call_command(
                "dumpdata",
                *labels,
                natural_foreign=True,
                output=str(data_path),
                verbosity=0,
            )
            records = sum(m._default_manager.count() for m in _models_kept())
            names = _stored_files()
        checksums = {}
        with data_path.open("rb") as handle:
            checksums["data.json"] = _sha256(handle)
        partial = path.with_name(path.name + ".partial")
        # Readable by its owner only, and never through a link planted at that name.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            with data_path.open("rb") as handle:
                _add(archive, "data.json", handle, data_path.stat().st_size)
            for name in names:
                with default_storage.open(name, "rb") as handle:
                    checksums[f"files/{name}"] = _sha256(handle)
                    handle.seek(0)
                    _add(archive, f"files/{name}", handle, default_storage.size(name))
            manifest = json.dumps(
                {
                    "format": FORMAT,
                    "created_at": created_at,
                    "migrations": _migrations(),
                    "records": records,
                    "files": len(names),
                    "sha256": checksums,
                },
                indent=1,
            ).encode()
            _add(archive, "manifest.json", io.BytesIO(manifest), len(manifest))
        partial.replace(path)  # a half-written archive never has the final name
    _record(by, AccessEvent.BACKUP_EXPORTED, f"Backup made: {records} records, {len(names)} files")
    return Summary(records=records, files=len(names), created_at=created_at)


def _record(by, event: str, what: str) -> None:
    from exempt.services import action_record

    action_record(by=by, event=event, committee=None, what=what)


def instance_is_empty() -> bool:
    """Nothing anyone made: no logins, committees or meetings (a migrated, empty site)."""
    from django.contrib.auth import get_user_model

    from meetings.models import Meeting
    from scrutiny.models import Committee

    return not (
        get_user_model().objects.exists()
        or Committee.objects.exists()
        or Meeting.objects.exists()
        or _stored_files()
    )


def _safe_member(member: tarfile.TarInfo) -> str:
    name = member.name
    parts = PurePosixPath(name).parts
    if (
        not member.isfile()
        or name.startswith("/")
        or ".." in parts
        or not (name in ("manifest.json", "data.json") or (parts[0] == "files" and len(parts) > 1))
        or (len(parts) > 1 and parts[1] in SKIPPED_FOLDERS)
    ):
        raise ValidationError(f"The archive holds {name[:200]!r}, which no backup holds.")
    return name


def _checked_manifest(raw: dict) -> dict:
    """The manifest as restore may trust it: every field of the right kind."""
    refused = ValidationError("The archive's manifest is not one backup_export writes.")
    if not (
        raw.get("format") == FORMAT
        and isinstance(raw.get("records"), int)
        and isinstance(raw.get("files"), int)
        and isinstance(raw.get("sha256"), dict)
        and isinstance(raw.get("migrations"), list)
        and isinstance(raw.get("created_at"), str)
    ):
        raise refused
    try:
        created = datetime.datetime.fromisoformat(raw["created_at"])
    except ValueError as error:
        raise refused from error
    return {**raw, "created_at": created.isoformat()}


def _check_models(data_path: Path) -> None:
    """Only the tables a backup holds: a record of a left-out table (a search entry
    holding text, say) is refused, not loaded."""
    with data_path.open("rb") as handle:
        rows = json.load(handle)
    unexpected = {row.get("model") for row in rows} & LEFT_OUT
    kept = {m._meta.label_lower for m in _models_kept()}
    unknown = {row.get("model") for row in rows} - kept
    if unexpected or unknown:
        names = sorted(str(name) for name in unexpected | unknown)[:5]
        raise ValidationError(f"The archive holds records no backup holds: {names}.")


def backup_restore(*, path: Path, by=None) -> Summary:
    """Restore an archive into an empty instance of the same schema: every record and
    file, checked against the manifest before anything is written; all or nothing."""
    if not instance_is_empty():
        raise ValidationError(
            "This site is not empty: restore into a new, migrated database with empty storage."
        )
    with tempfile.TemporaryDirectory(prefix="scrutiny-restore-") as work:
        work = Path(work)
        try:
            archive = tarfile.open(path, "r:gz")  # noqa: SIM115 (closed by the with below)
        except (OSError, tarfile.TarError) as error:
            raise ValidationError(f"This is not a backup archive ({error}).") from error
        with archive:
            members = {_safe_member(member): member for member in archive.getmembers()}
            if "manifest.json" not in members or "data.json" not in members:
                raise ValidationError("The archive has no manifest or no data.")
            try:
                raw = json.load(archive.extractfile(members["manifest.json"]))
            except ValueError as error:
                raise ValidationError("The archive's manifest cannot be read.") from error
            manifest = _checked_manifest(raw if isinstance(raw, dict) else {})
            _check_schema(manifest)
            needed = sum(member.size for member in members.values())
            if needed > shutil.disk_usage(work).free * 0.9:
                raise ValidationError(
                    f"The archive unpacks to {needed:,} bytes: more than there is room for."
                )
            expected = manifest["sha256"]
            if set(expected) != set(members) - {"manifest.json"}:
                raise ValidationError("The archive's members are not those its manifest lists.")
            for name in expected:
                target = work / name
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.extractfile(members[name]) as source, target.open("wb") as out:
                    shutil.copyfileobj(source, out, CHUNK)
                with target.open("rb") as handle:
                    if _sha256(handle) != expected[name]:
                        raise ValidationError(f"{name} is damaged: its checksum does not match.")
        _check_models(work / "data.json")
        written: list[str] = []
        try:
            with transaction.atomic():
                from django.contrib.auth.models import Group

                # The roles a fresh database is migrated with come back from the archive.
                Group.objects.all().delete()
                call_command("loaddata", str(work / "data.json"), verbosity=0)
                for name in sorted(expected):
                    if not name.startswith("files/"):
                        continue
                    stored_name = name.removeprefix("files/")
                    with (work / name).open("rb") as handle:
                        saved = default_storage.save(stored_name, File(handle))
                    written.append(saved)
                    if saved != stored_name:
                        raise ValidationError(f"Storage could not keep the name {stored_name}.")
                _record(
                    by,
                    AccessEvent.BACKUP_RESTORED,
                    f"Restored the backup made {manifest['created_at']}: "
                    f"{manifest['records']} records, {manifest['files']} files",
                )
        except Exception:
            for name in written:
                default_storage.delete(name)
            raise
    _reindex()
    return Summary(
        records=manifest["records"], files=manifest["files"], created_at=manifest["created_at"]
    )


def _check_schema(manifest: dict) -> None:
    theirs = {tuple(pair) for pair in manifest.get("migrations", [])}
    ours = {tuple(pair) for pair in _migrations()}
    if theirs != ours:
        missing = sorted(theirs - ours)[:5]
        extra = sorted(ours - theirs)[:5]
        raise ValidationError(
            "The backup was made with another version of Scrutiny: "
            f"migrations only in the backup {missing}, only here {extra}. Restore it with "
            "the version that made it, then upgrade."
        )


def _reindex() -> None:
    from meetings.models import PUBLIC_STATUSES, Meeting
    from search.services import search_index_meeting

    for meeting in Meeting.objects.filter(status__in=PUBLIC_STATUSES).iterator():
        search_index_meeting(meeting=meeting)
