"""When the database cannot be reached, answer with a friendly 503 page instead of an error.

The page is rendered without the request, so no context processor (and so no session or user
lookup) touches the database that just failed. Pages still in the page cache keep being served:
the cache answers before any view runs.
"""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


class DatabaseOutageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("Database unavailable, answered %s with 503: %s", request.path, exception)
        return unavailable_response()


def unavailable_response():
    """Return the static 'temporarily unavailable' page."""
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response
