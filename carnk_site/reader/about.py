"""Trust pages for readers."""

from django.shortcuts import get_object_or_404, render

from carnk_site.about.models import TrustPage
from carnk_site.caching import dependencies
from carnk_site.caching.middleware import public_page
from carnk_site.translations.published import published_languages, with_published_languages
from carnk_site.translations.reading import PAGE_FIELDS, shown_in_reader_language


@public_page(depends_on=lambda slug: (dependencies.page(slug),))
def page(request, slug):
    page = get_object_or_404(with_published_languages(TrustPage.objects.all()), slug=slug)
    shown_language = shown_in_reader_language(page, PAGE_FIELDS)
    context = {"page": page, "shown_language": shown_language, "translated_into": published_languages(page)}
    return render(request, "trust/page.html", context)
