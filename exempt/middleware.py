"""Responses that carry exempt or draft material, or that depend on who is signed in,
are never kept by a shared cache, a browser's history cache or a search engine."""


def mark_exempt_response(request) -> None:
    """Called wherever exempt material goes into a response (the access log does)."""
    request.scrutiny_exempt_shown = True


def _signed_in(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class ExemptResponseHeadersMiddleware:
    """Anonymous readers only ever receive published, public material; everything a
    signed-in user receives may carry exempt papers, drafts or their name, so it is
    private and unindexed whatever the view set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "scrutiny_exempt_shown", False) or _signed_in(request):
            response["Cache-Control"] = "private, no-store"
            response["X-Robots-Tag"] = "noindex, nofollow"
            vary = response.get("Vary", "")
            if "cookie" not in vary.lower():
                response["Vary"] = f"{vary}, Cookie" if vary else "Cookie"
        return response
