"""Background work for papers: tasks take ids and call a service."""

from celery import shared_task

from . import services


@shared_task(
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=3,
    soft_time_limit=300,
    time_limit=360,
)
def convert_document_version(version_id: int) -> bool:
    """Convert an Office upload to PDF with LibreOffice (once per version)."""
    return services.document_version_convert(version_id=version_id)
