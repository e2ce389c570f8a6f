"""Background work shared by every app: sending notices."""

from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


@shared_task(
    acks_late=True,
    autoretry_for=(SMTPException, OSError),
    retry_backoff=True,
    max_retries=8,
    soft_time_limit=60,
    time_limit=90,
)
def send_notice(
    subject: str, body: str, address: str, link: str = "", link_text: str = "", key: str = ""
):
    """Send one notice, with a plain-text and an HTML part, once for its key."""
    from .services import mail_send_once

    context = {
        "subject": subject,
        "paragraphs": [p for p in body.split("\n\n") if p.strip()],
        "link": link,
        "link_text": link_text or link,
        "council_name": settings.COUNCIL_NAME,
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("scrutiny/email/notice.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
    )
    message.attach_alternative(render_to_string("scrutiny/email/notice.html", context), "text/html")
    return mail_send_once(key=key, message=message)


@shared_task(acks_late=True, soft_time_limit=120, time_limit=150)
def redeliver_undelivered() -> int:
    """Send again the tasks the queue could not take while it was down."""
    from .queue import undelivered_tasks_send

    return undelivered_tasks_send()


@shared_task(soft_time_limit=300, time_limit=330)
def prune_sent_mail() -> int:
    """Forget the keys of e-mails sent long ago (they guard only against a task's retry)."""
    from .services import sent_mail_prune

    return sent_mail_prune()
