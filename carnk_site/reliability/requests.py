"""Answer 400 to requests no reader's browser sends, before any view or database sees them.

Control characters (a NUL makes PostgreSQL refuse the query: a 500), query strings longer than
any form of ours makes, and percent-encodings that are not UTF-8 cannot come from a link or
form on the site. Refusing them here, once, means no view has to guard against them; ordinary
input, including search words in any language, passes untouched.
"""

import re
from urllib.parse import unquote_to_bytes

from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

MAX_QUERY_STRING = 2000
MAX_PATH = 2000
# C0 controls and DEL, except tab, line feed and carriage return (a pasted search may hold them).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class BadInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = problem_with(request)
        if problem:
            return bad_request(problem)
        return self.get_response(request)


def problem_with(request):
    """Return why a request's path or query string cannot be a reader's, or None when it is fine."""
    query = request.META.get("QUERY_STRING", "")
    if len(query) > MAX_QUERY_STRING:
        return _("The address is too long.")
    if len(request.path) > MAX_PATH or CONTROL.search(request.path):
        return _("The address holds characters a web address cannot have.")
    try:
        decoded = unquote_to_bytes(query.replace("+", " ")).decode("utf-8")
    except UnicodeDecodeError:
        return _("The address holds characters a web address cannot have.")
    if CONTROL.search(decoded):
        return _("The address holds characters a web address cannot have.")
    return None


def bad_request(message):
    """Return a small plain 400 page, never cached."""
    text = _("Bad request: %(message)s Check the address, or go to the home page.") % {"message": message}
    response = HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")
    add_never_cache_headers(response)
    return response
