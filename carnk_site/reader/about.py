"""Trust pages for readers."""

from django.shortcuts import get_object_or_404, render

from carnk_site.about.models import TrustPage
from carnk_site.caching import dependencies
from carnk_site.caching.middleware import public_page


@public_page(depends_on=lambda slug: (dependencies.page(slug),))
def page(request, slug):
    return render(request, "trust/page.html", {"page": get_object_or_404(TrustPage, slug=slug)})
