"""Alerts are sent by a worker: in batches, each subscriber once, retried when the mail
server is unreachable."""

from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives

RETRY = {
    "acks_late": True,
    "autoretry_for": (SMTPException, OSError),
    "retry_backoff": True,
    "max_retries": 8,
}


@shared_task(**RETRY, soft_time_limit=600, time_limit=660)
def send_alerts(event_id: int) -> int:
    from .services import alerts_send

    return alerts_send(event_id=event_id)


@shared_task(**RETRY, soft_time_limit=60, time_limit=90)
def send_alert_mail(
    subject: str, text: str, html: str, address: str, unsubscribe_url: str, key: str = ""
):
    """A confirmation, or a reminder that the address is subscribed already (once for
    its key)."""
    from scrutiny.services import mail_send_once

    from .services import unsubscribe_headers

    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
        headers=unsubscribe_headers(unsubscribe_url),
    )
    message.attach_alternative(html, "text/html")
    return mail_send_once(key=key, message=message)
