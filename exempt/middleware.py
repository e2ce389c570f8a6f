"""Responses that carried exempt material are never kept by a shared cache or indexed."""


def mark_exempt_response(request) -> None:
    """Called wherever exempt material goes into a response (the access log does)."""
    request.scrutiny_exempt_shown = True


class ExemptResponseHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "scrutiny_exempt_shown", False):
            response["Cache-Control"] = "private, no-store"
            response["X-Robots-Tag"] = "noindex, nofollow"
        return response
