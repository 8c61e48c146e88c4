"""The language switcher and hreflang alternates: the same page in every language the site has."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.http import urlencode
from django.utils.translation import get_language

from carnk_site.caching.middleware import vary_on

register = template.Library()


@register.simple_tag(takes_context=True)
def same_page_in_each_language(context):
    """Return (code, name, address, current) for each language: this page's address in that language.

    Only the query parameters the page's view reads are kept (as the page cache keys them), so a
    tracking tag never ends up in a cached page's links.
    """
    request = context.get("request")
    path = request.path if request is not None else "/"
    kept = [(name, value) for name in (vary_on(request) if request else ()) for value in request.GET.getlist(name)]
    query = "?" + urlencode(kept) if kept else ""
    current = get_language()
    return [(code, name, translate_url(path, code) + query, code == current) for code, name in settings.LANGUAGES]


@register.filter
def absolute(address, request):
    """Return an address as a full URL for this request's host (hreflang needs full URLs)."""
    return request.build_absolute_uri(address) if request is not None else address
