"""Query budget: every public page runs at most 3 SQL queries (/claims.json 4), however large the library.

The library is the benchmark's generator, scaled down to stay quick but far larger than the
shipped content: 200 articles, 2,000 claims, 300 glossary terms, 50 sources, inserted once for
the module and rendered as saving would. Each page is fetched with the page cache empty.
"""

import pytest
from django.core.cache import cache
from django.db import transaction

from carnk_site.articles.models import Article
from carnk_site.evidence.models import Claim
from carnk_site.glossary.models import Term
from carnk_site.tooling.database import insert_library
from carnk_site.tooling.library import make_library

# Each test here reads a 200-article library made once per module: seconds, so `make test-fast` leaves them to `make test`.
pytestmark = pytest.mark.slow

MAX_QUERIES = 3
MORE_QUERIES = {
    "claims.json": 4,  # a page of claims, their links, citations, sources
    "claims.json page 2": 4,
    "source": 4,  # the source, how many statements rest on it (its pages), a page of them, their citations
}
PAGES = [
    ("home", "/", "article-0002"),
    ("all articles", "/articles/", "article-0002"),
    ("all articles page 2", "/articles/?page=2", "article-0060"),
    ("article", "/articles/article-0001/", 'data-claim="claim-00010"'),
    ("glossary index", "/glossary/", "?page=2"),
    ("glossary index page 2", "/glossary/?page=2", "?page=1"),
    ("term", "/glossary/term-000/", "article-"),
    ("term pop-up", "/glossary/term-000.json", "term-000"),
    ("sources", "/sources/", "source-49"),
    ("source", "/sources/source-01/", "cite-claim-"),
    ("evidence levels", "/evidence/", "Phase I"),
    ("claims.json", "/claims.json", "TextQuoteSelector"),
    ("claims.json page 2", "/claims.json?page=2", "TextQuoteSelector"),
    ("claim pop-up", "/claims/claim-00010.json", "source-"),
    ("search", "/search/?q=cells", "claim-"),
    ("trust page", "/pages/about/", "About this site"),
    ("sitemap", "/sitemap.xml", "/articles/article-0001/"),
    ("change feed", "/changes.atom", "<feed"),
    ("robots.txt", "/robots.txt", "Sitemap:"),
    ("feedback thanks", "/feedback/thanks/", "Thank you"),
]


@pytest.fixture(scope="module")
def large_library(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        insert_library(make_library(articles=200, claims=2000, terms=300, sources=50))
        yield
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_the_library_is_large(large_library):
    assert Article.objects.published().count() == 190
    assert Claim.objects.public().count() > 1500
    assert Term.objects.count() == 300
    assert Article.objects.get(slug="article-0001").sources.count() >= 5


@pytest.mark.django_db
@pytest.mark.parametrize(("page", "url", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_public_page_stays_within_the_query_budget(
    page, url, expected, large_library, client, settings, django_assert_max_num_queries
):
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    with django_assert_max_num_queries(MORE_QUERIES.get(page, MAX_QUERIES)):
        response = client.get(url)
    assert response.status_code == 200
    assert expected in response.content.decode()
    cache.clear()
