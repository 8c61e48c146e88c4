"""Article pages and the index of all articles, a page at a time."""

from django.conf import settings
from django.db import connection
from django.db.models import Prefetch, Q
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language

from carnk_site.articles.models import Article
from carnk_site.articles.reader_notes import public_changes
from carnk_site.caching import dependencies
from carnk_site.caching.middleware import public_page
from carnk_site.evidence.models import Source
from carnk_site.reader.paging import page_of
from carnk_site.review.signoff import shown_approval
from carnk_site.translations.published import published_languages, with_published_languages
from carnk_site.translations.reading import (
    ARTICLE_FIELDS,
    attach_quote_translations,
    attach_translated_articles,
    shown_in_reader_language,
)

ARTICLES_PER_PAGE = 50
LISTED_FIELDS = ("slug", "title", "summary", "order", "reading_minutes", "evidence_profile", "profile_strip_html")


@public_page(vary_on=("page",), depends_on=(dependencies.LISTING,))
def article_index(request):
    """List every published article in reading order, ARTICLES_PER_PAGE at a time: two queries."""
    page = page_of(request, Article.objects.published().only(*LISTED_FIELDS), ARTICLES_PER_PAGE)
    page.object_list = attach_translated_articles(page.object_list)
    return render(request, "articles/index.html", {"page": page})


@public_page(
    depends_on=lambda slug: (dependencies.article(slug), dependencies.TITLES, dependencies.REVIEWERS),
)
def article_detail(request, slug):
    """Show a published article: one query for it, its sign-off and neighbours, one for sources, one for changes."""
    rows = list(
        with_published_languages(Article.objects.published())
        .filter(Q(slug=slug) | Q(pk__in=_around(slug, before=True)) | Q(pk__in=_around(slug, before=False)))
        .select_related("signoff__approval__reviewer")
        .prefetch_related(Prefetch("sources", queryset=Source.objects.defer("text")))  # texts run to megabytes
    )
    article = next((row for row in rows if row.slug == slug), None)
    if article is None:
        raise Http404("No published article with this id.")
    shown_language = shown_in_reader_language(article, ARTICLE_FIELDS)
    language = get_language()
    attach_quote_translations(article.evidence_profile, language)
    around = _split_neighbours(article, rows)
    attach_translated_articles(row for row in around.values() if row is not None)
    context = {
        "article": article,
        "shown_language": shown_language,
        "translated_into": published_languages(article),
        "changes": public_changes(article),
        "approval": shown_approval(article),
        # Its evidence sections as stored on save; in another language they are drawn with its words.
        "stored_sections": language == settings.LANGUAGE_CODE,
        **around,
    }
    return render(request, "articles/article_detail.html", context)


# The published article just before or after the one with this slug, in reading order (order, then title).
# Written out rather than built from Subquery expressions: building and compiling those nested
# subqueries took about a third of an uncached article's time, for the same SQL.
AROUND = """SELECT a.{pk} FROM {table} a, (SELECT {order} AS o, {title} AS t FROM {table}
WHERE {slug} = %s AND {status} = %s) here WHERE a.{status} = %s AND (a.{order} {op} here.o
OR (a.{order} = here.o AND a.{title} {op} here.t)) ORDER BY a.{order} {way}, a.{title} {way} LIMIT 1"""


def _around(slug, *, before):
    quote = connection.ops.quote_name
    columns = {name: quote(Article._meta.get_field(name).column) for name in ("order", "title", "slug", "status")}
    sql = AROUND.format(
        table=quote(Article._meta.db_table),
        pk=quote(Article._meta.pk.column),
        op="<" if before else ">",
        way="DESC" if before else "ASC",
        **columns,
    )
    published = Article.Status.PUBLISHED
    return RawSQL(sql, (slug, published, published))


def _nearest(published, condition, *ordering):
    return published.filter(condition).order_by(*ordering).values("pk")[:1]


def _split_neighbours(article, rows):
    key = (article.order, article.title)
    return {
        "previous": next((r for r in rows if (r.order, r.title) < key), None),
        "next": next((r for r in rows if (r.order, r.title) > key), None),
    }


def neighbours(article):
    """Return the previous and next published articles around any article (used by previews)."""
    published = Article.objects.published()
    before = Q(order__lt=article.order) | Q(order=article.order, title__lt=article.title)
    after = Q(order__gt=article.order) | Q(order=article.order, title__gt=article.title)
    rows = list(
        published.filter(
            Q(pk__in=_nearest(published, before, "-order", "-title"))
            | Q(pk__in=_nearest(published, after, "order", "title"))
        )
    )
    return _split_neighbours(article, rows)
