"""The home page: the introduction and the first articles in reading order, the same size whatever the library's."""

from django.shortcuts import render

from carnk_site.articles.models import Article
from carnk_site.caching import dependencies
from carnk_site.caching.middleware import public_page
from carnk_site.translations.reading import attach_translated_articles, shown_in_reader_language

INTRO_FIELDS = {"key_points_html": "key_points_html"}

# Articles listed on the home page; a larger library links to the full index (`articles:index`).
HOME_ARTICLES = 20
LISTED_FIELDS = ("slug", "title", "summary", "order", "reading_minutes", "evidence_profile", "profile_strip_html")


@public_page(depends_on=(dependencies.LISTING, dependencies.INTRO))
def home(request):
    """List the first articles, introduced by the first one's key points: sourced, like every fact here."""
    articles = list(Article.objects.published().only(*LISTED_FIELDS, "key_points_html")[: HOME_ARTICLES + 1])
    attach_translated_articles(articles[:HOME_ARTICLES])
    intro = articles[0] if articles else None
    intro_language = shown_in_reader_language(intro, INTRO_FIELDS) if intro else None
    sources = intro.sources.only("slug", "title", "short_name", "commercial") if intro else []
    more = len(articles) > HOME_ARTICLES
    context = {
        "articles": articles[:HOME_ARTICLES],
        "article_count": Article.objects.published().count() if more else len(articles),
        "more_articles": more,
        "intro": intro,
        "intro_sources": sources,
        "intro_language": intro_language,
    }
    return render(request, "pages/home.html", context)
