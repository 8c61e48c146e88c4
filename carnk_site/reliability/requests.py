"""Clean or refuse input no view should see, before any view or database sees it.

Control characters in the query string (a NUL makes PostgreSQL refuse the query: a 500) are
removed, so a reader who pastes odd text into the search box still gets an answer. What cannot
come from a link or form on the site gets a plain 400: control characters in the path, query
strings far longer than anything a reader types, and percent-encodings that are not UTF-8.
Doing it here, once, means no view has to guard against it; ordinary input, including search
words in any language, passes untouched.
"""

import re
from urllib.parse import unquote_to_bytes

from django.http import HttpResponse, QueryDict
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

#: Far above anything a reader types (search keeps 100 characters and says so).
MAX_QUERY_STRING = 20_000
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
        clean_query(request)
        return self.get_response(request)


def problem_with(request):
    """Return why a request's path or query string cannot be a reader's, or None when it is fine."""
    query = request.META.get("QUERY_STRING", "")
    if len(query) > MAX_QUERY_STRING:
        return _("The address is too long.")
    if len(request.path) > MAX_PATH or CONTROL.search(request.path):
        return _("The address holds characters a web address cannot have.")
    try:
        unquote_to_bytes(query.replace("+", " ")).decode("utf-8")
    except UnicodeDecodeError:
        return _("The address holds characters a web address cannot have.")
    return None


def clean_query(request):
    """Remove control characters from the query's names and values, for every view and the page cache."""
    query = request.META.get("QUERY_STRING", "")
    if not CONTROL.search(unquote_to_bytes(query.replace("+", " ")).decode("utf-8")):
        return
    cleaned = QueryDict(mutable=True)
    for name, values in request.GET.lists():
        cleaned.setlist(CONTROL.sub("", name), [CONTROL.sub("", v) for v in values])
    request.META["QUERY_STRING"] = cleaned.urlencode()
    cleaned._mutable = False
    request.GET = cleaned


def bad_request(message):
    """Return a small plain 400 page, never cached."""
    text = _("Bad request: %(message)s Check the address, or go to the home page.") % {"message": message}
    response = HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")
    add_never_cache_headers(response)
    return response
