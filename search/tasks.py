from celery import shared_task


@shared_task(acks_late=True, soft_time_limit=300, time_limit=330)
def extract_version_text(version_id: int):
    from .services import version_text_extract

    version_text_extract(version_id=version_id)
