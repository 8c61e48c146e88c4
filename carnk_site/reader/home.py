"""The home page."""

from django.shortcuts import render

from carnk_site.articles.models import Article
from carnk_site.caching.middleware import public_page


@public_page
def home(request):
    """List the articles, introduced by the first one's key points: sourced, like every fact here."""
    fields = ("slug", "title", "summary", "order", "reading_minutes", "key_points_html", "evidence_profile")
    articles = list(Article.objects.published().only(*fields))
    intro = articles[0] if articles else None
    sources = intro.sources.only("slug", "title", "short_name", "commercial") if intro else []
    return render(request, "pages/home.html", {"articles": articles, "intro": intro, "intro_sources": sources})
