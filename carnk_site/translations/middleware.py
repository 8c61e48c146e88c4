"""Activate the language the address names: /zh-hans/… and /hi/… in theirs, every other address in English.

Deliberately not Django's LocaleMiddleware: that one falls back to the Accept-Language header and a
cookie for addresses without a prefix (/claims.json, the feed, a 404), and marks English pages
`Vary: Accept-Language`. Here the address alone decides, so one address is one page in one
language, which the page cache and a CDN keep without varying on a header. A reader changes
language with the switcher's links, never by a setting we would have to remember.
"""

from django.conf import settings
from django.utils import translation


class AddressLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        with translation.override(language):
            request.LANGUAGE_CODE = translation.get_language()
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response
