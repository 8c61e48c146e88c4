"""Serve public pages from the cache, with headers a CDN can trust; never cache anyone's private page.

A view opts in with `@public_page`: its answer is the same for every anonymous reader. The
page is cached under its address without the query string, plus only the parameters the view
declares it reads (`@public_page(vary_on=("q",))`): tracking tags such as ?utm_source=... share
the canonical page's entry instead of filling the cache with copies. The
middleware sits just inside WhiteNoise, before sessions and authentication, so a cached page
costs one cache round trip (the content version and the page are fetched together). Requests
that carry a session cookie (editors) and responses that set cookies or vary on them bypass
the cache and are marked never-cache, as is every response no view declared public.
"""

import hashlib
import logging
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    has_vary_header,
    patch_cache_control,
    set_response_etag,
)
from django.utils.http import urlencode
from django.utils.translation import get_language

from carnk_site.caching import version

logger = logging.getLogger(__name__)

READ_METHODS = frozenset({"GET", "HEAD"})


def public_page(view=None, *, vary_on=()):
    """Mark a view whose responses are the same for every anonymous reader.

    `vary_on` names the query parameters the view reads; every other parameter is left out of
    the cache key, so the view must not read it.
    """
    if view is None:
        return lambda view: public_page(view, vary_on=vary_on)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.public_page = True
        return response

    wrapper.vary_on = tuple(vary_on)
    return wrapper


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_anonymous_read(request):
            return keep_private(self.get_response(request))
        storing = settings.PAGE_CACHE_SECONDS > 0
        key = page_key(request) if storing else None
        current, cached = lookup(key) if storing else (None, None)
        current = version.stamp(current) if current is not None else None
        if cached is not None and cached[0] == current:
            response = rebuild(cached)
        else:
            response = self.get_response(request)
            if not is_shareable(response):
                return keep_private(response)
            make_public(response)
            if current is not None:
                store(key, current, response)
        return get_conditional_response(request, etag=response.get("ETag"), response=response)


def is_anonymous_read(request):
    """Return True for a GET or HEAD from someone without a session (no editor, no login)."""
    return (
        request.method in READ_METHODS
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


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


def page_key(request):
    """Return the cache key for a page: its language, its address and the query parameters its view reads."""
    url = f"{get_language()} {request.scheme}://{request.get_host()}{request.path}"
    wanted = [(name, value) for name in vary_on(request) for value in request.GET.getlist(name)]
    if wanted:
        url += "?" + urlencode(wanted)
    return f"page:{hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()}"


def vary_on(request):
    """Return the query parameters the view for this address declared it reads."""
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return ()
    return getattr(match.func, "vary_on", ())


def lookup(key):
    """Return the current content version and the cached page, in one cache round trip."""
    try:
        found = cache.get_many([version.KEY, key])
    except Exception as exc:  # a cache outage must not break pages: serve from the database
        logger.warning("Page cache unavailable, serving from the database: %s", exc)
        return None, None
    current = found.get(version.KEY)
    if current is None:
        return version.initial(), None
    return current, found.get(key)


def store(key, current, response):
    if len(response.content) > settings.PAGE_CACHE_MAX_BYTES:  # a page this big is a mistake: never multiply it
        return
    entry = (current, response.status_code, list(response.items()), response.content)
    try:
        cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
    except Exception as exc:
        logger.warning("Page cache unavailable, page not stored: %s", exc)


def rebuild(entry):
    _version, status, headers, content = entry
    return HttpResponse(content, status=status, headers=dict(headers))
