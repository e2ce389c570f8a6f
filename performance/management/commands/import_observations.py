"""Check and import a file of observations, as the upload page does, for scripts."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from performance.models import UploadSource
from performance.services import (
    ObservationsInvalid,
    observations_validate,
    upload_cancel,
    upload_confirm,
    upload_preview,
)

from ._committee import committee_from_option


class Command(BaseCommand):
    help = (
        "Check a CSV or XLSX file of observations (columns indicator, area, period, value, "
        "and optionally status and note) and import it in one transaction. Any problem is "
        "printed to stderr with its row number, nothing is saved and the exit status is 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file only; save nothing."
        )
        parser.add_argument(
            "--user",
            help="Record the import as this user's, who must be one of the committee's data "
            "officers. Without it the import is recorded as made on the command line.",
        )
        parser.add_argument(
            "--committee",
            help="The committee's slug; needed only when more than one committee has indicators.",
        )

    def handle(self, *args, file: Path, dry_run=False, user=None, committee=None, **options):
        committee = committee_from_option(committee)
        actor = None
        if user is not None:
            try:
                actor = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist as error:
                raise CommandError(f"No user is called {user}.") from error
        try:
            handle = file.open("rb")
        except OSError as error:
            raise CommandError(f"{file} could not be opened: {error.strerror}.") from error
        with handle:
            if dry_run:
                self.check_only(handle, file.name, committee)
            else:
                self.import_file(handle, file.name, committee, actor)

    def fail(self, problems) -> None:
        for problem in problems:
            self.stderr.write(str(problem))
        raise CommandError(f"{len(problems)} problem(s) in the file: nothing was saved.")

    def check_only(self, handle, name, committee) -> None:
        result = observations_validate(file=handle, name=name, committee=committee)
        if not result.is_valid:
            self.fail(result.problems)
        self.stdout.write(f"{name}: {len(result.rows)} rows, no problems. Nothing was saved.")

    def import_file(self, handle, name, committee, actor) -> None:
        try:
            upload = upload_preview(
                file=handle, name=name, user=actor, committee=committee, source=UploadSource.COMMAND
            )
        except ObservationsInvalid as error:
            self.fail(error.problems)
        except PermissionDenied as error:
            raise CommandError(f"{actor} may not upload for {committee}: {error}.") from error
        try:
            upload = upload_confirm(upload=upload, user=actor)
        except ValidationError as error:
            upload_cancel(upload=upload, user=actor)
            raise CommandError(" ".join(error.messages)) from error
        for warning in upload.warnings:
            prefix = f"Row {warning['row']}: " if warning["row"] else ""
            self.stdout.write(f"Warning: {prefix}{warning['message']}")
        self.stdout.write(
            f"Imported {upload.description}: {upload.new_count} new, {upload.changed_count} "
            f"changed, {upload.unchanged_count} unchanged."
        )
