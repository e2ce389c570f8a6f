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
def send_notice(subject: str, body: str, address: str, link: str = "", link_text: str = ""):
    """Send one notice, with a plain-text and an HTML part."""
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
    message.send()
