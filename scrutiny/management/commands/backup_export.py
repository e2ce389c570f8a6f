from pathlib import Path

from django.core.management.base import BaseCommand

from scrutiny.backup import backup_export


class Command(BaseCommand):
    help = (
        "Write everything (the database and every stored file) to one archive, which "
        "backup_restore restores into an empty site. The archive holds password hashes "
        "and second-factor secrets: keep it encrypted."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="Where to write the archive (.tar.gz).")

    def handle(self, *args, archive, **options):
        summary = backup_export(path=Path(archive))
        self.stdout.write(
            f"Backed up {summary.records} records and {summary.files} files to {archive}."
        )
