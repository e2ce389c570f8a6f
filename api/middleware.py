from django.middleware.http import ConditionalGetMiddleware


class ApiConditionalGetMiddleware(ConditionalGetMiddleware):
    """ETags (a hash of the body) on the API's responses, and 304 Not Modified to a
    client that sends the one it has: a poller downloads only what changed."""

    def process_response(self, request, response):
        if not request.path.startswith("/api/"):
            return response
        return super().process_response(request, response)
