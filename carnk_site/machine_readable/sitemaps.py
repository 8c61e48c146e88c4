"""The sitemap: every public page, with when each article and trust page last changed. Six queries in all.

Pages of the interface (home, glossary index, sources list, labels) are listed in every language:
their words come from the translated catalogues. An article, a glossary term or a page about the
site is listed at its /zh-hans/ or /hi/ address only once its translation into that language is
published: until then that address shows the English under a notice, the same page twice. Sources
have no translations and are listed in English only.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Cast
from django.urls import reverse
from reversion.models import Version

from carnk_site.about.models import TrustPage
from carnk_site.articles.models import Article
from carnk_site.evidence.models import Source
from carnk_site.glossary.models import Term
from carnk_site.translations.models import ArticleTranslation, PageTranslation, TermTranslation


class LanguageSitemap(Sitemap):
    """Every page in each of the site's languages, each entry naming its others (hreflang alternates)."""

    i18n = True
    alternates = True
    x_default = True
    english = "en"

    def get_languages_for_item(self, item):
        """Every language, unless the item says which published translations it has."""
        translated = getattr(item, "languages", None)
        return self._languages() if translated is None else [self.english, *translated]


def published_languages(model, key):
    """Return {English record's key: [languages of its published translations]}, in one query."""
    found = {}
    for value, language in model.objects.published().order_by("language").values_list(key, "language"):
        found.setdefault(value, []).append(language)
    return found


class StaticSitemap(LanguageSitemap):
    def items(self):
        return ["pages:home", "glossary:index", "evidence:sources", "evidence:levels"]

    def location(self, item):
        return reverse(item)


class ArticleSitemap(LanguageSitemap):
    """Published articles; lastmod is the last saved version, or the last review for never-edited ones."""

    def items(self):
        last_saved = (
            Version.objects.filter(
                content_type__app_label="articles",
                content_type__model="article",
                object_id=Cast(OuterRef("pk"), CharField()),
            )
            .order_by("-revision__date_created")
            .values("revision__date_created")[:1]
        )
        fields = ("slug", "title", "order", "last_reviewed")
        articles = list(Article.objects.published().only(*fields).annotate(last_saved=Subquery(last_saved)))
        translated = published_languages(ArticleTranslation, "article_id")
        for article in articles:
            article.languages = translated.get(article.pk, [])
        return articles

    def lastmod(self, article):
        return article.last_saved or article.last_reviewed


class ReferenceSitemap(LanguageSitemap):
    """Glossary terms and the sources readers may see (not those only drafts cite), in one query."""

    def items(self):
        terms = Term.objects.public().order_by().annotate(page_kind=Value("term")).values_list("page_kind", "slug")
        sources = (
            Source.objects.public().order_by().annotate(page_kind=Value("source")).values_list("page_kind", "slug")
        )
        translated = published_languages(TermTranslation, "term__slug")
        return [
            ReferencePage(kind, slug, translated.get(slug, []) if kind == "term" else [])
            for kind, slug in sorted(terms.union(sources, all=True))
        ]

    def location(self, item):
        return reverse("glossary:term" if item.kind == "term" else "evidence:source", args=[item.slug])


class ReferencePage:
    """A glossary term or a source in the sitemap: its kind, slug and the languages it is translated into."""

    def __init__(self, kind, slug, languages):
        self.kind, self.slug, self.languages = kind, slug, languages


class TrustPageSitemap(LanguageSitemap):
    def items(self):
        pages = list(TrustPage.objects.only("slug", "updated"))
        translated = published_languages(PageTranslation, "page_id")
        for page in pages:
            page.languages = translated.get(page.pk, [])
        return pages

    def lastmod(self, page):
        return page.updated


SITEMAPS = {
    "pages": StaticSitemap,
    "articles": ArticleSitemap,
    "reference": ReferenceSitemap,
    "about": TrustPageSitemap,
}
