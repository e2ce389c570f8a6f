"""The address a request came from, as far as it can be trusted: one function for the
sign-in lock-out (django-axes) and the exempt access log."""

from django.conf import settings
from django.http import HttpRequest
from ipware import get_client_ip


def client_ip(request: HttpRequest) -> str | None:
    """The client's IP address, or None if there is none to trust.

    With SCRUTINY_TRUSTED_PROXY_COUNT = 0 the site is reached directly and the
    connection's address (REMOTE_ADDR) is the client: X-Forwarded-For is ignored,
    since anyone can send it.

    With N trusted proxies, each appends the address it received the request from
    to X-Forwarded-For, so the N-th entry from the right was written by the outermost
    proxy and is the client; anything further left came from the client and may be
    forged. django-ipware counts the proxies listed after the client, which is N - 1
    here because the innermost proxy is REMOTE_ADDR, not an entry. Without a usable
    header (a request that bypassed the proxies) the connection's address is used.
    """
    proxies = settings.SCRUTINY_TRUSTED_PROXY_COUNT
    if proxies:
        address, _routable = get_client_ip(
            request,
            proxy_count=proxies - 1,
            request_header_order=("HTTP_X_FORWARDED_FOR",),
            # Not strict: extra entries on the left are the client's own and are
            # skipped; the position is counted from the right.
            strict=False,
            algorithm="modern",
        )
        if address:
            return address
    address, _routable = get_client_ip(
        request,
        proxy_count=0,
        request_header_order=("REMOTE_ADDR",),
        strict=True,
        algorithm="modern",
    )
    return address
