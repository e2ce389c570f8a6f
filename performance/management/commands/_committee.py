from django.core.management.base import CommandError

from performance.models import Indicator
from scrutiny.models import Committee


def committee_from_option(slug: str | None) -> Committee:
    """The committee named, or the only one with indicators."""
    if slug:
        try:
            return Committee.objects.get(slug=slug)
        except Committee.DoesNotExist as error:
            raise CommandError(f"No committee has the slug {slug}.") from error
    committees = Committee.objects.filter(
        pk__in=Indicator.objects.values("committee_id")
    ).distinct()[:2]
    if len(committees) != 1:
        raise CommandError(
            "Name the committee with --committee SLUG"
            if committees
            else "No committee has indicators yet."
        )
    return committees[0]
