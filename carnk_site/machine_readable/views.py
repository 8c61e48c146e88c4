"""Machine-readable files: sitemap, change feed and robots.txt, all cacheable public pages."""

from django.conf import settings
from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.http import HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.utils import translation

from carnk_site.caching.middleware import public_page
from carnk_site.machine_readable.feeds import ChangesFeed, TranslationChangesFeed
from carnk_site.machine_readable.sitemaps import SITEMAPS

DEFAULT_ADMIN_PATH = "admin/"


@public_page
def sitemap(request):
    response = django_sitemap(request, SITEMAPS)
    response.render()
    return response


english_changes_feed = ChangesFeed()


@public_page(vary_on=("lang",))
def changes_feed(request):
    """The change feed in English, or with `?lang=zh-hans` (or `hi`) the translations published in that language."""
    language = request.GET.get("lang", settings.LANGUAGE_CODE)
    if language not in dict(settings.LANGUAGES):
        choices = ", ".join(code for code, _name in settings.LANGUAGES)
        return HttpResponseBadRequest(f"lang: unknown language. Use one of: {choices}.", content_type="text/plain")
    if language == settings.LANGUAGE_CODE:
        return english_changes_feed(request)
    with translation.override(language):
        return TranslationChangesFeed(language)(request)


@public_page
def robots_txt(request):
    """Let every crawler read the site, except the editors' admin; point them to the sitemap.

    A custom ADMIN_PATH exists to keep bots away from the sign-in form, so robots.txt, which anyone
    can read, names only the default path and never a custom one (admin pages are never cached or linked).
    """
    lines = ["User-agent: *", f"Disallow: /{DEFAULT_ADMIN_PATH}"]
    lines += ["Allow: /", f"Sitemap: {request.build_absolute_uri(reverse('machine_readable:sitemap'))}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
