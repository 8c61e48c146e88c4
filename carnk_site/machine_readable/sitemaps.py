"""The sitemap: every public page, with when each article and trust page last changed. Three queries in all.

Pages of the interface (home, glossary index, sources list, labels) are listed in every language:
their words come from the translated catalogues. An article, a glossary term or a page about the
site is listed at its /zh-hans/ or /hi/ address only once its translation into that language is
published: until then that address shows the English under a notice, the same page twice. Sources
have no translations and are listed in English only. Whether each record has a published
translation in each language is asked inside the query that lists the records
(`translations.published`, which the pages' own hreflang alternates use too).
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import BooleanField, CharField, OuterRef, Subquery, Value
from django.db.models.functions import Cast
from django.urls import reverse
from reversion.models import Version

from carnk_site.about.models import TrustPage
from carnk_site.articles.models import Article
from carnk_site.evidence.models import Source
from carnk_site.glossary.models import Term
from carnk_site.translations.models import ArticleTranslation, PageTranslation, TermTranslation
from carnk_site.translations.published import languages_of, published_in


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
        flags = published_in(ArticleTranslation, "article")
        articles = list(Article.objects.published().only(*fields).annotate(last_saved=Subquery(last_saved), **flags))
        for article in articles:
            article.languages = languages_of(getattr(article, name) for name in flags)
        return articles

    def lastmod(self, article):
        return article.last_saved or article.last_reviewed


class ReferenceSitemap(LanguageSitemap):
    """Glossary terms and the sources readers may see (not those only drafts cite), in one query."""

    def items(self):
        flags = published_in(TermTranslation, "term")
        none = {name: Value(False, output_field=BooleanField()) for name in flags}  # sources are not translated
        terms = Term.objects.public().order_by().annotate(page_kind=Value("term"), **flags)
        sources = Source.objects.public().order_by().annotate(page_kind=Value("source"), **none)
        columns = ("page_kind", "slug", *flags)
        rows = terms.values_list(*columns).union(sources.values_list(*columns), all=True)
        return [ReferencePage(kind, slug, languages_of(rest)) for kind, slug, *rest in sorted(rows)]

    def location(self, item):
        return reverse("glossary:term" if item.kind == "term" else "evidence:source", args=[item.slug])


class ReferencePage:
    """A glossary term or a source in the sitemap: its kind, slug and the languages it is translated into."""

    def __init__(self, kind, slug, languages):
        self.kind, self.slug, self.languages = kind, slug, languages


class TrustPageSitemap(LanguageSitemap):
    def items(self):
        flags = published_in(PageTranslation, "page")
        pages = list(TrustPage.objects.only("slug", "updated").annotate(**flags))
        for page in pages:
            page.languages = languages_of(getattr(page, name) for name in flags)
        return pages

    def lastmod(self, page):
        return page.updated


SITEMAPS = {
    "pages": StaticSitemap,
    "articles": ArticleSitemap,
    "reference": ReferenceSitemap,
    "about": TrustPageSitemap,
}
