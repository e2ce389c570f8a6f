"""Writes for packs: ask for a build (coalesced), withdraw what may no longer be
public, and build (in a worker)."""

import datetime
import logging
import time
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from meetings.models import Meeting
from scrutiny.queue import enqueue_on_commit

from .build import PackBuildError, build_packs, current_minutes_hashes
from .models import BuildState, Pack, PackEntry, PackKind, RenderedDocument

logger = logging.getLogger(__name__)

# The packs anyone may download: withdrawn at once when their content may have stopped
# being public. The exempt pack only reaches those entitled, so it waits for the rebuild.
PUBLIC_KINDS = (PackKind.PUBLIC, PackKind.SUPPLEMENT)


def public_packs_withdraw(*, meeting: Meeting) -> int:
    """Stop serving the meeting's public packs in this transaction; the rebuild that
    follows replaces them. Returns how many were withdrawn."""
    withdrawn = 0
    for pack in (
        Pack.objects.select_for_update()
        .filter(meeting=meeting, kind__in=PUBLIC_KINDS)
        .exclude(file="")
    ):
        old = pack.file.name
        storage = pack.file.storage
        pack.file = ""
        pack.page_count = 0
        pack.size = 0
        pack.built_at = None
        pack.minutes_hash = ""
        pack.minutes_of = []
        pack.state = BuildState.QUEUED
        pack.save()
        pack.entries.all().delete()
        transaction.on_commit(lambda old=old, storage=storage: storage.delete(old))
        withdrawn += 1
    return withdrawn


def packs_minutes_changed(*, minutes) -> None:
    """Minutes changed that later meetings' packs print for confirmation (from their HTML,
    not from the minutes' own PDF, which may not be built yet). A public pack that prints
    them otherwise than the public now reads them stops being served in this same
    transaction; every pack that prints them otherwise is rebuilt, and a build already
    under way gives way."""
    from meetings.models import ItemKind
    from meetings.services import agenda_changed

    for meeting in Meeting.objects.filter(
        items__kind=ItemKind.MINUTES, items__previous_meeting_id=minutes.meeting_id
    ).distinct():
        if not meeting.is_public:
            continue
        now = current_minutes_hashes(meeting)
        packs = {p.kind: p for p in Pack.objects.select_for_update().filter(meeting=meeting)}
        printed = {kind: packs[kind].minutes_hash if kind in packs else "" for kind in now}
        if printed == now:
            continue
        public = packs.get(PackKind.PUBLIC)
        # A pack that printed none of them only gains pages: it stays while rebuilt.
        withdraw = public is not None and bool(public.file) and bool(printed[PackKind.PUBLIC])
        withdraw = withdraw and printed[PackKind.PUBLIC] != now[PackKind.PUBLIC]
        agenda_changed(meeting, additive=not withdraw)


def packs_request_build(*, meeting: Meeting, delay: float | None = None) -> uuid.UUID | None:
    """Ask for the meeting's packs to be rebuilt. Requests made close together coalesce:
    each carries a new token, and a build that starts for an older token gives way."""
    if not meeting.is_public:
        return None
    token = uuid.uuid4()
    now = timezone.now()
    for kind in PackKind.values:
        Pack.objects.update_or_create(
            meeting=meeting,
            kind=kind,
            defaults={
                "state": BuildState.QUEUED,
                "progress": 0,
                "requested_at": now,
                "build_token": token,
                "error": "",
            },
        )
    from .tasks import build_meeting_packs

    countdown = settings.SCRUTINY_PACK_BUILD_DELAY if delay is None else delay
    enqueue_on_commit(build_meeting_packs, meeting.pk, str(token), countdown=countdown)
    return token


STALE_MESSAGE = (
    "The build did not finish: the worker stopped or the task was lost. Try the build again; "
    "if it fails again, check that a worker is running."
)


def packs_fail_stale(*, meeting: Meeting, now=None) -> int:
    """Mark failed a build left queued or building past SCRUTINY_PACK_STALE_AFTER (the
    last good pack, if any, stays). Called whenever the packs are looked at. A build
    the task queue has not taken yet (it was down) is waiting, not lost."""
    from .selectors import build_waits_for_queue

    if build_waits_for_queue(meeting=meeting):
        return 0
    stale = [pack.pk for pack in Pack.objects.filter(meeting=meeting) if pack.is_stale(now)]
    Pack.objects.filter(pk__in=stale).update(state=BuildState.FAILED, error=STALE_MESSAGE)
    if stale:
        logger.warning("Agenda pack build of meeting %s was lost: marked failed", meeting.pk)
    return len(stale)


def render_cache_prune(*, unused_for_days: int | None = None, now=None, batch: int = 500) -> int:
    """Delete cached renderings no build has used for a while, with their files; a
    rebuild that needs one renders it again. Returns how many went."""
    days = settings.SCRUTINY_RENDER_CACHE_DAYS if unused_for_days is None else unused_for_days
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    unused = list(RenderedDocument.objects.filter(used_at__lt=cutoff).order_by("used_at")[:batch])
    for cached in unused:
        cached.file.delete(save=False)
    RenderedDocument.objects.filter(pk__in=[c.pk for c in unused]).delete()
    if unused:
        logger.info("Pruned %d cached renderings unused for %d days", len(unused), days)
    return len(unused)


def _set(meeting_id: int, **fields) -> None:
    Pack.objects.filter(meeting_id=meeting_id).update(**fields)


def packs_build(*, meeting_id: int, token: str | None = None) -> str:
    """Build both packs of a meeting and swap them in. A failed build keeps the last good
    packs and records the reason. Returns what happened."""
    current = Pack.objects.filter(meeting_id=meeting_id, kind=PackKind.PUBLIC).first()
    if token is not None and current is not None and str(current.build_token) != token:
        return "superseded"
    meeting = Meeting.objects.select_related("committee").get(pk=meeting_id)
    if not meeting.is_public:
        return "not published"
    for kind in PackKind.values:
        Pack.objects.get_or_create(meeting=meeting, kind=kind)
    if token is None:
        # A build asked for directly (manage.py build_pack) gives way, like a queued one,
        # to any change made while it runs: that change withdrew what this build holds.
        token = str(Pack.objects.get(meeting=meeting, kind=PackKind.PUBLIC).build_token)
    _set(meeting_id, state=BuildState.BUILDING, progress=0)
    started = time.perf_counter()
    try:
        built = build_packs(meeting, progress=lambda percent: _set(meeting_id, progress=percent))
    except PackBuildError as error:
        # The detail (which paper, why) is for the co-ordinator and the log; readers are
        # told only that the pack could not be updated.
        logger.warning("Agenda packs of meeting %s failed to build: %s", meeting_id, error)
        _set(meeting_id, state=BuildState.FAILED, error=str(error))
        return "failed"
    except Exception:
        logger.exception("Agenda packs of meeting %s failed to build", meeting_id)
        _set(meeting_id, state=BuildState.FAILED, error="The build stopped with an internal error.")
        raise
    seconds = time.perf_counter() - started
    if seconds > settings.SCRUTINY_SLOW_BUILD_SECONDS:
        logger.warning("Agenda packs of meeting %s took %.1f s to build", meeting_id, seconds)
    with transaction.atomic():
        packs = {p.kind: p for p in Pack.objects.select_for_update().filter(meeting=meeting)}
        if token is not None and str(packs[PackKind.PUBLIC].build_token) != token:
            return "superseded"  # a newer request arrived while building: it will build
        # Earlier minutes printed for confirmation may have changed while this build
        # rendered them, by a way that asked for no build (packs_minutes_changed does):
        # this build gives way to a fresh one rather than print them as they were.
        now = current_minutes_hashes(meeting)
        if any((built[k].minutes_hash if k in built else "") != now[k] for k in now):
            packs_request_build(meeting=meeting, delay=0)
            return "superseded"
        for kind, pack in packs.items():
            result = built.get(kind)
            previous = pack.file.name if pack.file else ""
            if result is None:
                pack.file = ""
                pack.page_count = 0
                pack.size = 0
            else:
                pack.file.save("pack.pdf", ContentFile(result.pdf), save=False)
                pack.page_count = result.page_count
                pack.first_page = result.first_page
                pack.size = len(result.pdf)
            pack.minutes_hash = result.minutes_hash if result else ""
            pack.minutes_of = result.minutes_of if result else []
            pack.state = BuildState.READY
            pack.progress = 100
            pack.error = ""
            pack.built_at = timezone.now()
            pack.build_seconds = seconds
            pack.save()
            pack.entries.all().delete()
            if result is not None:
                PackEntry.objects.bulk_create(
                    PackEntry(
                        pack=pack,
                        item=source.item,
                        document=source.document,
                        first_page=source.first_page,
                        last_page=source.first_page + source.page_count - 1,
                    )
                    for source in result.entries
                )
            if previous and previous != pack.file.name:
                storage = pack.file.storage
                transaction.on_commit(lambda old=previous, storage=storage: storage.delete(old))
    # Each build also clears a batch of renderings no build has used for a while.
    render_cache_prune()
    return "built"
