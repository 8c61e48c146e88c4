"""The language switcher and hreflang alternates: the same page in the languages the site, or the page, has."""

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


@register.simple_tag(takes_context=True)
def hreflang_alternates(context, page_languages):
    """Return (hreflang, full URL) for each language this page really exists in, then x-default (the English).

    A page of the interface (no `translated_into` in its context) exists in every language. A content
    page's view says which languages its record has a published translation in (`translated_into`):
    only those and English are named, so search engines are never told of a Chinese page that is
    the English under a notice. The language switcher still links every language.
    """
    request = context.get("request")
    translated = context.get("translated_into")
    english = settings.LANGUAGE_CODE
    addresses = {code: absolute(address, request) for code, _name, address, _current in page_languages}
    named = [code for code in addresses if translated is None or code == english or code in translated]
    return [(code, addresses[code]) for code in named] + [("x-default", addresses[english])]


@register.filter
def absolute(address, request):
    """Return an address as a full URL for this request's host (hreflang needs full URLs)."""
    return request.build_absolute_uri(address) if request is not None else address
