"""Serve public pages from the cache, with headers a CDN can trust; never cache anyone's private page.

A view opts in with `@public_page`: its answer is the same for every anonymous reader. The
page is cached under its address without the query string, plus only the parameters the view
declares it reads (`@public_page(vary_on=("q",))`): tracking tags such as ?utm_source=... share
the canonical page's entry instead of filling the cache with copies. It also declares what it
shows (`depends_on`, names from `caching.dependencies`, or a function of the URL's arguments
returning them): a cached page is stale only when one of those, or the whole site, changed.

The middleware is the first of all, so a cached page returns before any other middleware runs:
it stores the complete response as the rest of the stack made it on the miss (security headers,
CSP, Content-Language, Vary, ETag) and replays it on a hit. A hit costs one Redis GET: the
versions the page depends on are remembered in the worker for PAGE_CACHE_VERSION_SECONDS
(`caching.version`), and the most-read pages may come from the worker's own memory
(`caching.local`) without Redis at all. The language comes from the address, as
`translations.middleware` decides it, since that middleware has not run yet on a hit. Only a
signed-in staff session (an editor) bypasses the cache: any other session cookie is dropped from
a request for a public page, so junk cookies cannot make every request render. Responses that
set cookies or vary on them are marked never-cache, as is every response no view declared public.
"""

import functools
import hashlib
import logging
from functools import wraps
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user
from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    has_vary_header,
    patch_cache_control,
    set_response_etag,
)
from django.utils.http import urlencode

from carnk_site.caching import dependencies, local, version

logger = logging.getLogger(__name__)

READ_METHODS = frozenset({"GET", "HEAD"})


def public_page(view=None, *, vary_on=(), depends_on=(dependencies.ANY,)):
    """Mark a view whose responses are the same for every anonymous reader.

    `vary_on` names the query parameters the view reads; every other parameter is left out of
    the cache key, so the view must not read it. `depends_on` names what the page shows, or is a
    function of the URL's keyword arguments returning those names; by default, anything at all.
    """
    if view is None:
        return lambda view: public_page(view, vary_on=vary_on, depends_on=depends_on)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.public_page = True
        return response

    wrapper.vary_on = tuple(vary_on)
    wrapper.depends_on = depends_on
    return wrapper


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(settings.STATIC_URL) or (
            settings.SECURE_SSL_REDIRECT and not request.is_secure()
        ):
            return self.get_response(request)  # static files and the redirect to https: the rest of the stack
        language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        with translation.override(language):  # the address's language, for resolving and the key
            match = public_match(request)
            if match is None or not is_shared_read(request):
                return keep_private(self.get_response(request))
            if settings.PAGE_CACHE_SECONDS <= 0:
                response = self.get_response(request)
                if not is_shareable(response):
                    return keep_private(response)
                make_public(response)
                return get_conditional_response(request, etag=response.get("ETag"), response=response)
            key = page_key(request, match)
            names = depends_on(match)
        current, cached = lookup(key, names)
        if cached is not None and cached[0] == current:
            response = rebuild(cached)
            response["X-Page-Cache"] = "hit"
        else:
            response = self.get_response(request)
            if not is_shareable(response):
                return keep_private(response)
            make_public(response)
            if current is not None:
                store(key, current, response)
            response["X-Page-Cache"] = "miss"
        return get_conditional_response(request, etag=response.get("ETag"), response=response)


def public_match(request):
    """Return the URL match when the address is a public page's, else None."""
    urlconf = getattr(request, "urlconf", None)
    return _public_match(request.path_info, urlconf or settings.ROOT_URLCONF, translation.get_language())


@functools.lru_cache(maxsize=4096)
def _public_match(path, urlconf, language):
    # Remembered per address: resolving was 40% of a hit. The URL patterns never change while a
    # process runs (a test that swaps ROOT_URLCONF gets its own entries); `language` because
    # the prefixed patterns resolve by the active language. Read-only: nothing changes a match.
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return None
    return match if hasattr(match.func, "depends_on") else None


def vary_on(request):
    """Return the query parameters the public page at this address reads (none for any other address)."""
    match = public_match(request)
    return match.func.vary_on if match else ()


def is_shared_read(request):
    """Return True for a GET or HEAD of a public page that no signed-in editor makes.

    A session cookie that is not a signed-in staff member's is dropped from the request, so the
    page is served (and stored) as for any reader, and no session is read or deleted.
    """
    if request.method not in READ_METHODS or "HTTP_AUTHORIZATION" in request.META:
        return False
    name = settings.SESSION_COOKIE_NAME
    if name not in request.COOKIES:
        return True
    if is_staff_session(request, request.COOKIES[name]):
        return False
    del request.COOKIES[name]
    return True


def is_staff_session(request, session_key):
    """Return True when the session key is a valid session of an active staff member (an editor)."""
    if not 8 <= len(session_key) <= 64 or not set(session_key) <= set(VALID_KEY_CHARS):
        return False  # not a key this site ever made: no query
    request.session = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    user = get_user(request)  # checks the session's password hash, as authentication does
    return user.is_active and user.is_staff


def is_shareable(response):
    """Return True when a response is the same for every reader and safe for shared caches."""
    return (
        getattr(response, "public_page", False)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not has_vary_header(response, "Cookie")
    )


def make_public(response):
    patch_cache_control(
        response,
        public=True,
        max_age=settings.PAGE_CACHE_MAX_AGE,
        s_maxage=settings.PAGE_CACHE_S_MAXAGE,
        stale_while_revalidate=settings.PAGE_CACHE_STALE_SECONDS,
    )
    set_response_etag(response)


def keep_private(response):
    """Forbid shared caches to keep anything not declared public (admin, previews, editors' pages)."""
    if getattr(response, "public_page", False) or not response.has_header("Cache-Control"):
        add_never_cache_headers(response)
    return response


def page_key(request, match):
    """Return the cache key for a page: its language, its address and the query parameters its view reads."""
    url = f"{translation.get_language()} {request.scheme}://{request.get_host()}{request.path}"
    wanted = [(name, value) for name in match.func.vary_on for value in request.GET.getlist(name)]
    if wanted:
        url += "?" + urlencode(wanted)
    return f"page:{hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()}"


def depends_on(match):
    """Return the names the page at this URL depends on, as its view declared them."""
    declared = match.func.depends_on
    return tuple(declared(**match.kwargs)) if callable(declared) else tuple(declared)


def lookup(key, names):
    """Return (the versions the page must have been stored at, the stored entry or None).

    The versions come from this worker's memory when it read them under PAGE_CACHE_VERSION_SECONDS
    ago; the page itself from the worker's memory when it holds it at those versions, else from
    the cache, in one round trip with any versions to read again. (None, None) when the cache is down.
    """
    wanted = [version.KEY, *(version.dependency_key(name) for name in names)]
    found, stale = version.remembered(wanted)
    if not stale and version.KEY in found and found[version.KEY] is not None:
        current = version.stamp(found, names)
        entry = local.get(key, current)
        if entry is not None:
            return current, entry
    try:
        if stale:
            answer = cache.get_many([key, *stale])
        else:
            answer = {key: cache.get(key)}
    except Exception as exc:  # a cache outage must not break pages: serve from the database
        logger.warning("Page cache unavailable, serving from the database: %s", exc)
        return None, None
    version.remember(answer, stale)
    found = {**found, **{k: answer.get(k) for k in stale}}
    entry = answer.get(key)
    if found.get(version.KEY) is None:  # a new or emptied cache: no page in it can be current
        value = version.initial()
        if value is None:
            return None, None
        version.forget([version.KEY])
        found[version.KEY] = value
        entry = None
    current = version.stamp(found, names)
    if entry is not None and entry[0] == current:
        local.put(key, current, entry, len(entry[3]))
    return current, entry


def store(key, current, response):
    if len(response.content) > settings.PAGE_CACHE_MAX_BYTES:  # a page this big is a mistake: never multiply it
        return
    # Every header the stack set on the way out (security, CSP, language, ETag), replayed on a hit.
    entry = (current, response.status_code, list(response.items()), response.content)
    local.put(key, current, entry, len(response.content))
    try:
        cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
    except Exception as exc:
        logger.warning("Page cache unavailable, page not stored: %s", exc)


def rebuild(entry):
    _version, status, headers, content = entry
    return HttpResponse(content, status=status, headers=dict(headers))
