from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from scrutiny.backup import backup_restore


class Command(BaseCommand):
    help = (
        "Restore an archive made by backup_export into an empty site (a new database, "
        "migrated with the same version of Scrutiny, and empty file storage). Every "
        "checksum is checked before anything is written; it restores all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The archive to restore (.tar.gz).")

    def handle(self, *args, archive, **options):
        try:
            summary = backup_restore(path=Path(archive))
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            f"Restored {summary.records} records and {summary.files} files from the backup "
            f"made {summary.created_at}. The search index was rebuilt."
        )
