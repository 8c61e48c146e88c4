"""The sitemap: every public page, with when each article and trust page last changed. Three queries in all."""

from django.contrib.sitemaps import Sitemap
from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Cast
from django.urls import reverse
from reversion.models import Version

from carnk_site.about.models import TrustPage
from carnk_site.articles.models import Article
from carnk_site.evidence.models import Source
from carnk_site.glossary.models import Term


class LanguageSitemap(Sitemap):
    """Every page in each of the site's languages, each entry naming its others (hreflang alternates)."""

    i18n = True
    alternates = True
    x_default = True


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
        return list(Article.objects.published().only(*fields).annotate(last_saved=Subquery(last_saved)))

    def lastmod(self, article):
        return article.last_saved or article.last_reviewed


class ReferenceSitemap(LanguageSitemap):
    """Glossary terms and the sources readers may see (not those only drafts cite), in one query."""

    def items(self):
        terms = Term.objects.public().order_by().annotate(page_kind=Value("term")).values_list("page_kind", "slug")
        sources = (
            Source.objects.public().order_by().annotate(page_kind=Value("source")).values_list("page_kind", "slug")
        )
        return sorted(terms.union(sources, all=True))

    def location(self, item):
        kind, slug = item
        return reverse("glossary:term" if kind == "term" else "evidence:source", args=[slug])


class TrustPageSitemap(LanguageSitemap):
    def items(self):
        return list(TrustPage.objects.only("slug", "updated"))

    def lastmod(self, page):
        return page.updated


SITEMAPS = {
    "pages": StaticSitemap,
    "articles": ArticleSitemap,
    "reference": ReferenceSitemap,
    "about": TrustPageSitemap,
}
