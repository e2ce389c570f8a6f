"""Notices by e-mail: written in the request, sent by a worker once the change they
report has committed, with absolute links, in plain text and HTML.

A notice names an exempt item by its public title only and never carries exempt
content or an attachment: callers pass what the recipient may read.
"""

from django.conf import settings

from .queue import enqueue_on_commit


def absolute_url(path: str) -> str:
    """A site path as a link that works from an e-mail."""
    return f"{settings.SCRUTINY_SITE_URL}{path}"


def notice_send(
    *, subject: str, body: str, recipients, link_path: str = "", link_text: str = ""
) -> int:
    """Queue one e-mail to each address (blank ones skipped), sent after commit: if the
    change is rolled back, nothing is sent. Returns how many were queued."""
    from .tasks import send_notice

    addresses = sorted({address for address in recipients if address})
    link = absolute_url(link_path) if link_path else ""
    for address in addresses:
        enqueue_on_commit(send_notice, subject, body, address, link, link_text)
    return len(addresses)
