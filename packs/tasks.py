"""Pack builds run in a worker, never in a web request."""

from celery import shared_task

from . import services


@shared_task(
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
    # The soft limit lets the build record its failure; the hard one ends a build that
    # cannot (the state it leaves is found stale and marked failed: packs_fail_stale).
    soft_time_limit=600,
    time_limit=660,
)
def build_meeting_packs(meeting_id: int, token: str | None = None) -> str:
    """Build a meeting's packs, unless a newer request has superseded this one."""
    return services.packs_build(meeting_id=meeting_id, token=token)
