"""Reads of packs, with the access policy applied."""

from meetings.models import AgendaSection, Meeting
from scrutiny import access
from scrutiny.fragments import kept
from scrutiny.queue import undelivered_count

from .models import Pack, PackEntry, PackKind


def pack_list(*, meeting, user) -> list[Pack]:
    """The packs of a meeting this user may see: the public one for everyone, the exempt
    one for those entitled; none once the papers are archived, but to co-ordinators."""
    if not access.can_see_papers_of(user, meeting):
        return []
    order = [PackKind.PUBLIC, PackKind.SUPPLEMENT, PackKind.EXEMPT]
    packs = [
        pack
        for pack in kept(
            "packs", meeting.pk, load=lambda: list(Pack.objects.filter(meeting=meeting))
        )
        if (
            pack.kind != PackKind.EXEMPT
            or can_read_exempt_pack(meeting=meeting, pack=pack, user=user)
        )
        and (pack.kind != PackKind.SUPPLEMENT or pack.file)
    ]
    return sorted(packs, key=lambda pack: order.index(pack.kind))


def build_waits_for_queue(*, meeting) -> bool:
    """Whether a build of this meeting's packs was asked for while the task queue could
    not be reached, and waits to be sent again."""
    return bool(
        undelivered_count(task_name="packs.tasks.build_meeting_packs", first_arg=meeting.pk)
    )


def can_read_exempt_pack(*, meeting, pack: Pack | None, user) -> bool:
    """Whether this user may read the meeting's exempt pack as last built (None: not yet),
    with the earlier minutes it prints for confirmation."""
    earlier = []
    if pack is not None and pack.minutes_of:
        earlier = Meeting.objects.filter(pk__in=pack.minutes_of).select_related("committee")
    return access.can_see_exempt_pack(user, meeting, minutes_of=earlier)


def page_ranges(*, meeting) -> dict[int, tuple[int, int]]:
    """Each item's pages in the last good build: public items in the public pack,
    exempt items in the exempt pack (whose page numbers follow on)."""
    ranges: dict[int, tuple[int, int]] = {}
    entries = kept(
        "pack-entries",
        meeting.pk,
        load=lambda: list(
            PackEntry.objects.filter(pack__meeting=meeting).values_list(
                "item_id", "item__section", "pack__kind", "first_page", "last_page"
            )
        ),
    )
    for item_id, section, kind, first, last in entries:
        wanted = PackKind.EXEMPT if section == AgendaSection.EXEMPT else PackKind.PUBLIC
        if kind != wanted:
            continue
        low, high = ranges.get(item_id, (first, last))
        ranges[item_id] = (min(low, first), max(high, last))
    return ranges
