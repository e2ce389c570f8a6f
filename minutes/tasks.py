"""Background work for minutes: tasks take ids and call a service."""

from celery import shared_task

from . import services


@shared_task(
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=300,
    time_limit=360,
)
def build_minutes_pdf(minutes_id: int) -> bool:
    """Render the published minutes to PDF (idempotent: unchanged minutes are skipped)."""
    return services.minutes_pdf_build(minutes_id=minutes_id)
