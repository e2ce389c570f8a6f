from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from papers.files import sniff_format
from papers.models import DocumentFormat, DocumentVersion
from papers.services import document_version_sanitise


class Command(BaseCommand):
    help = (
        "Rebuild every PDF stored before uploads were sanitised (uploaded PDFs and the PDFs "
        "converted from Office files) without scripts, actions, forms or attached files, "
        "and check those Office files against the upload limits. Versions already "
        "rebuilt are left alone, so it can be run again."
    )

    def handle(self, *args, **options):
        # Each version is rebuilt in its own transaction: the ids are read first.
        pending = list(
            DocumentVersion.objects.filter(sanitised_at__isnull=True)
            .exclude(format=DocumentFormat.REPORT)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        rebuilt = cleaned = marked = 0
        failed, refused = [], []
        for pk in pending:
            version = DocumentVersion.objects.get(pk=pk)
            name = f"document {version.document_id} version {version.number}"
            if version.is_office and version.file:
                reason = _office_refusal(version)
                if reason:
                    refused.append(f"{name}: {reason}")
            try:
                removed = document_version_sanitise(version_id=version.pk)
            except ValidationError as error:
                failed.append(f"{name}: {error.messages[0]}")
                continue
            if removed is None:
                marked += 1
                continue
            rebuilt += 1
            if removed:
                cleaned += 1
                self.stdout.write(f"{name}: removed {', '.join(removed)}")
        self.stdout.write(
            f"{rebuilt} PDF{'' if rebuilt == 1 else 's'} rebuilt, {cleaned} of them with "
            f"content removed; {marked} Office file{'' if marked == 1 else 's'} not yet "
            f"converted; {len(failed)} could not be read."
        )
        for line in refused:
            self.stdout.write(f"Would now be refused at upload, left as it is: {line}")
        if failed:
            for line in failed:
                self.stdout.write(f"Could not be rebuilt, left as it is: {line}")
            raise CommandError(
                f"{len(failed)} stored PDF(s) could not be read: replace them with new versions."
            )


def _office_refusal(version) -> str:
    """Why an Office file stored before the archive limits would be refused now, or ""."""
    with version.file.open("rb") as handle:
        data = handle.read()
    try:
        sniff_format(data)
    except ValidationError as error:
        return error.messages[0]
    return ""
