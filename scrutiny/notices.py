"""Notices by e-mail: written in the request, sent by a worker once the change they
report has committed, with absolute links, in plain text and HTML.

A notice names an exempt item by its public title only and never carries exempt
content or an attachment: callers pass what the recipient may read.
"""

import uuid

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
        key = uuid.uuid4().hex  # sent once, however often the task runs
        enqueue_on_commit(send_notice, subject, body, address, link, link_text, key)
    return len(addresses)


def person_name(user) -> str:
    """A login as a notice or a page names it: the person's name where there is one."""
    person = getattr(user, "person", None)
    return person.display_name if person else (user.get_full_name() or user.get_username())


def notice_send_to_users(
    *, users, subject: str, body: str, link_path: str = "", link_text: str = ""
) -> list[str]:
    """Queue a notice to each active login with an address (see `notice_send`); returns
    the names of those it goes to, for the page to say (see `emailing`)."""
    people = [user for user in users if user is not None and user.is_active and user.email]
    notice_send(
        subject=subject,
        body=body,
        recipients=[user.email for user in people],
        link_path=link_path,
        link_text=link_text,
    )
    return sorted({person_name(user) for user in people})


def emailing(names: list[str]) -> str:
    """What the page says of a notice: to whom it is going, or that no one has an address."""
    if not names:
        return "No e-mail was sent: nobody to tell has an e-mail address in Scrutiny."
    return f"An e-mail is on its way to {', '.join(names)}."
