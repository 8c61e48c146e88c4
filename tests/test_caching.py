"""The page cache: public pages are shareable and served from the cache; edits invalidate it at once;
admin, editors' pages, writes and errors are never cached; a broken cache never breaks a page."""

import logging
import socket
import uuid

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import reverse

from carnk_site.caching import middleware, version
from carnk_site.evidence.models import Claim
from carnk_site.glossary.models import Term

from .conftest import make_article, make_claim, make_term

pytestmark = pytest.mark.django_db

BROKEN_CACHE = {
    "default": {
        "BACKEND": "carnk_site.caching.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


@pytest.fixture
def page_cache(settings):
    """Turn on storing pages (the test settings keep it off) in an empty cache."""
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def article():
    make_claim()
    return make_article(body="Old words: [8 of 11 people responded](claim:test-claim).")


def cache_control(response):
    return {part.strip().split("=")[0]: part.strip() for part in response.get("Cache-Control", "").split(",") if part}


def test_public_page_is_shareable_by_a_cdn_with_an_etag(client, page_cache, article):
    response = client.get(article.get_absolute_url())
    directives = cache_control(response)
    assert {"public", "max-age", "s-maxage", "stale-while-revalidate"} <= directives.keys()
    assert directives["s-maxage"] == "s-maxage=240"
    assert "private" not in directives and "no-store" not in directives
    assert response["ETag"].startswith('"')
    assert "Cookie" not in response.get("Vary", "")
    assert not response.cookies


def test_second_request_is_served_from_the_cache_without_queries(
    client, page_cache, article, django_assert_num_queries
):
    first = client.get(article.get_absolute_url())
    with django_assert_num_queries(0):
        second = client.get(article.get_absolute_url())
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert second["Content-Type"] == first["Content-Type"]
    assert second["X-Frame-Options"] == first["X-Frame-Options"]


def test_conditional_request_is_answered_with_304(client, page_cache, article):
    url = article.get_absolute_url()
    etag = client.get(url)["ETag"]
    for _ in range(2):  # once rendering, once from the cache
        cache.clear()
        response = client.get(url, headers={"if-none-match": etag})
        assert response.status_code == 304
        assert response.content == b""
        assert "public" in cache_control(response)
    assert client.get(url, headers={"if-none-match": '"something-else"'}).status_code == 200


def test_publishing_an_edit_shows_at_once(client, page_cache, article, django_capture_on_commit_callbacks):
    url = article.get_absolute_url()
    old = client.get(url)
    assert "Old words" in old.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        article.body = "New words: [8 of 11 people responded](claim:test-claim)."
        article.save()
    new = client.get(url)
    assert "New words" in new.content.decode() and "Old words" not in new.content.decode()
    assert new["ETag"] != old["ETag"]
    assert client.get(url, headers={"if-none-match": old["ETag"]}).status_code == 200


def test_changing_a_claim_or_deleting_a_term_invalidates_every_page(
    client, page_cache, article, django_capture_on_commit_callbacks
):
    term = make_term()
    source_url = article.sources.get().get_absolute_url()
    assert "8 of 11 people" in client.get(source_url).content.decode()
    assert term.term in client.get(reverse("glossary:index")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        Claim.objects.filter(slug="test-claim").update(statement="Nine of 12 people responded.")
        Claim.objects.get(slug="test-claim").save()  # a used claim cannot be deleted: change it instead
        Term.objects.filter(pk=term.pk).delete()
    assert "8 of 11 people" not in client.get(source_url).content.decode()
    assert term.term not in client.get(reverse("glossary:index")).content.decode()


def test_admin_pages_are_never_cached(admin_client, client, page_cache):
    for c in (client, admin_client):
        response = c.get(reverse("admin:index"), follow=False)
        directives = cache_control(response)
        assert "public" not in directives and {"no-store", "private"} <= directives.keys()


def test_an_editors_view_of_a_public_page_is_private_and_not_stored(
    admin_client, client, page_cache, article, django_assert_max_num_queries
):
    url = article.get_absolute_url()
    editor = admin_client.get(url)
    assert editor.status_code == 200
    assert {"no-store", "private"} <= cache_control(editor).keys() and "public" not in cache_control(editor)
    assert "ETag" not in editor
    with django_assert_max_num_queries(3) as queries:
        client.get(url)
    assert len(queries) > 0, "the editor's page must not have been stored for anonymous readers"


def test_writes_errors_and_missing_pages_are_not_cached(client, page_cache, article, django_assert_max_num_queries):
    url = article.get_absolute_url()
    response = client.post(url)
    assert "public" not in cache_control(response) and "no-store" in cache_control(response)
    with django_assert_max_num_queries(3) as queries:
        client.get(url)
    assert len(queries) > 0, "the POST must not have stored a page"
    for _ in range(2):
        with django_assert_max_num_queries(3) as queries:
            missing = client.get("/articles/no-such-article/")
        assert missing.status_code == 404 and len(queries) > 0
        assert "public" not in cache_control(missing) and "no-store" in cache_control(missing)


def test_each_query_string_is_its_own_page(client, page_cache, article):
    first = client.get("/search/?q=words").content
    second = client.get("/search/?q=nothing-matches-this").content
    assert first != second


def test_responses_that_set_or_vary_on_cookies_are_not_shareable():
    plain = HttpResponse("x")
    plain.public_page = True
    assert middleware.is_shareable(plain)
    with_cookie = HttpResponse("x")
    with_cookie.public_page = True
    with_cookie.set_cookie("sessionid", "1")
    varies = HttpResponse("x", headers={"Vary": "Cookie"})
    varies.public_page = True
    undeclared = HttpResponse("x")
    assert not any(middleware.is_shareable(r) for r in (with_cookie, varies, undeclared))


def test_a_broken_cache_never_breaks_a_page(client, settings, article, caplog, django_capture_on_commit_callbacks):
    settings.PAGE_CACHE_SECONDS = 600
    with override_settings(CACHES=BROKEN_CACHE), caplog.at_level(logging.WARNING, logger="carnk_site.caching"):
        response = client.get(article.get_absolute_url())
        assert response.status_code == 200 and "Old words" in response.content.decode()
        assert "public" in cache_control(response)
        with django_capture_on_commit_callbacks(execute=True):
            article.body = "Edited while the cache is down."
            article.save()
        assert "Edited while the cache is down" in client.get(article.get_absolute_url()).content.decode()
    assert any("Page cache unavailable" in r.getMessage() for r in caplog.records)


def redis_available():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.2).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not redis_available(), reason="no Redis on 127.0.0.1:6379")
def test_pages_are_shared_and_invalidated_through_redis(
    client, settings, article, django_assert_num_queries, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 60
    redis_cache = {
        "default": {
            "BACKEND": "carnk_site.caching.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
            "KEY_PREFIX": f"carnk-test-{uuid.uuid4().hex}",
        }
    }
    url = article.get_absolute_url()
    with override_settings(CACHES=redis_cache):
        try:
            client.get(url)
            with django_assert_num_queries(0):
                assert "Old words" in client.get(url).content.decode()
            with django_capture_on_commit_callbacks(execute=True):
                article.body = "Redis words."
                article.save()
            assert "Redis words" in client.get(url).content.decode()
            assert cache._cache.get_client() is cache._cache.get_client(), "one Redis client, reused"
        finally:  # never clear(): that would flush a Redis database other programs may share
            request = RequestFactory().get(url)
            cache.delete_many([version.KEY, middleware.page_key(request, middleware.public_match(request))])


def test_many_sign_offs_saved_in_one_transaction_bump_the_version_once(monkeypatch, django_capture_on_commit_callbacks):
    from django.db import transaction

    bumps = []
    monkeypatch.setattr(version, "bump", lambda names=None: bumps.append("bump"))
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():  # its sign-off's bump goes with the rolled-back savepoint
            make_article(slug="rolled-back")
            transaction.set_rollback(True)
    assert bumps == []
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            make_article(slug=f"article-{n}")  # each saves a sign-off
    assert bumps == ["bump"]


# Only a signed-in staff session bypasses the cache ----------------------------------------------------------


@pytest.mark.parametrize(
    "cookie",
    ["junk", "a" * 32, "0123456789abcdefghijklmnopqrstuv", "x" * 4000, "<script>"],
    ids=["short", "well-formed", "well-formed-2", "huge", "markup"],
)
def test_a_session_cookie_that_is_no_staff_session_is_served_from_the_cache(
    client, page_cache, article, cookie, django_assert_max_num_queries
):
    url = article.get_absolute_url()
    first = client.get(url)
    client.cookies["sessionid"] = cookie
    with django_assert_max_num_queries(1):  # at most the lookup of a well-formed key: never a render
        response = client.get(url)
    assert response["X-Page-Cache"] == "hit"
    assert response.content == first.content and "public" in cache_control(response)
    assert "sessionid" not in response.cookies, "a reader's cookie is neither read nor deleted"


def test_a_signed_in_readers_session_that_is_not_staff_is_served_from_the_cache(client, page_cache, article):
    from django.contrib.auth.models import User

    url = article.get_absolute_url()
    client.get(url)
    client.force_login(User.objects.create_user("reader"))
    assert client.get(url)["X-Page-Cache"] == "hit"


def test_a_staff_session_bypasses_the_cache_and_a_signed_out_one_does_not(admin_client, page_cache, article):
    url = article.get_absolute_url()
    assert "X-Page-Cache" not in admin_client.get(url)
    session = admin_client.cookies["sessionid"].value
    admin_client.logout()
    admin_client.cookies["sessionid"] = session  # the old key, no longer a session
    admin_client.get(url)
    assert admin_client.get(url)["X-Page-Cache"] == "hit"


def test_a_miss_from_a_junk_cookie_is_stored_for_every_reader(client, page_cache, article):
    url = article.get_absolute_url()
    client.cookies["sessionid"] = "b" * 32
    assert client.get(url)["X-Page-Cache"] == "miss"
    client.cookies.clear()
    assert client.get(url)["X-Page-Cache"] == "hit"


# A save invalidates only the pages showing what it changed ---------------------------------------------------


@pytest.fixture
def library(django_capture_on_commit_callbacks):
    """Two articles, each citing one claim from its own source, and a glossary term."""
    from .conftest import make_source

    with django_capture_on_commit_callbacks(execute=True):
        first = make_source(slug="first-source", short_name="First source")
        second = make_source(slug="second-source", short_name="Second source")
        make_claim("claim-a", source=first)
        make_claim("claim-b", source=second)
        make_term()
        a = make_article("article-a", title="Article A", order=1, body="A: [8 of 11](claim:claim-a).")
        b = make_article("article-b", title="Article B", order=2, body="B: [8 of 11](claim:claim-b).")
    return a, b


PAGES = {
    "article a": "/articles/article-a/",
    "article b": "/articles/article-b/",
    "home": "/",
    "all articles": "/articles/",
    "glossary": "/glossary/",
    "term": "/glossary/natural-killer-cell/",
    "first source": "/sources/first-source/",
    "second source": "/sources/second-source/",
    "sources": "/sources/",
    "claim a": "/claims/claim-a.json",
    "claim b": "/claims/claim-b.json",
    "claims.json": "/claims.json",
    "search": "/search/?q=cells",
}


def pages_rendered_again(client, save, django_capture_on_commit_callbacks):
    """Fill the cache with every page, run the save, and return the pages that are rendered again."""
    for url in PAGES.values():
        assert client.get(url).status_code == 200, url
    assert {name: client.get(url).get("X-Page-Cache") for name, url in PAGES.items()} == dict.fromkeys(PAGES, "hit")
    with django_capture_on_commit_callbacks(execute=True):
        save()
    return {name for name, url in PAGES.items() if client.get(url)["X-Page-Cache"] == "miss"}


def test_a_claims_statement_invalidates_its_pop_up_its_articles_and_sources_and_the_open_data(
    client, page_cache, library, django_capture_on_commit_callbacks
):
    def save():
        claim = Claim.objects.get(slug="claim-a")
        claim.statement = "In a small trial, eight of 11 people responded."
        claim.save()

    stale = pages_rendered_again(client, save, django_capture_on_commit_callbacks)
    assert stale == {"article a", "first source", "sources", "claim a", "claims.json", "search"}
    assert "eight of 11 people" in client.get(PAGES["claim a"]).content.decode()


def test_a_claims_evidence_changes_the_lists_showing_its_articles_evidence_profile(
    client, page_cache, library, django_capture_on_commit_callbacks
):
    def save():
        claim = Claim.objects.get(slug="claim-a")
        claim.evidence = "phase-3"
        claim.save()

    stale = pages_rendered_again(client, save, django_capture_on_commit_callbacks)
    assert {"article a", "home", "all articles", "claim a", "first source", "claims.json"} <= stale
    assert not stale & {"article b", "glossary", "term", "second source", "claim b"}


def test_an_articles_summary_invalidates_it_and_the_lists_but_not_the_other_article(
    client, page_cache, library, django_capture_on_commit_callbacks
):
    a, b = library

    def save():
        b.summary = "A new summary."
        b.save()

    stale = pages_rendered_again(client, save, django_capture_on_commit_callbacks)
    assert {"article b", "home", "all articles"} <= stale
    assert not stale & {"article a", "glossary"}
    assert "A new summary." in client.get("/").content.decode()


def test_an_articles_title_invalidates_every_article_page_its_neighbours_name(
    client, page_cache, library, django_capture_on_commit_callbacks
):
    a, b = library

    def save():
        b.title = "Article B, renamed"
        b.save()

    stale = pages_rendered_again(client, save, django_capture_on_commit_callbacks)
    assert {"article a", "article b", "home", "all articles"} <= stale
    assert "Article B, renamed" in client.get(PAGES["article a"]).content.decode()
    assert "glossary" not in stale


def test_a_terms_definition_invalidates_the_glossary_not_the_articles(
    client, page_cache, library, django_capture_on_commit_callbacks
):
    def save():
        term = Term.objects.get()
        term.definition = "A new definition."
        term.save()

    stale = pages_rendered_again(client, save, django_capture_on_commit_callbacks)
    assert {"glossary", "term"} <= stale
    assert not stale & {"article a", "article b", "home", "all articles", "first source", "claim a", "claims.json"}


def test_a_bump_redis_never_got_reaches_readers_within_the_check_interval(
    client, page_cache, library, monkeypatch, django_capture_on_commit_callbacks
):
    url = PAGES["claim a"]
    client.get(url)
    seen = dict(version._seen)  # what another worker read before the save

    class WritesLost:
        def __getattr__(self, name):
            if name in ("set_many", "incr"):
                raise ConnectionError("Redis went away")
            return getattr(cache, name)

    with monkeypatch.context() as patched:
        patched.setattr(version, "cache", WritesLost())
        with django_capture_on_commit_callbacks(execute=True):
            Claim.objects.filter(slug="claim-a").update(statement="Changed while Redis was away.")
            Claim.objects.get(slug="claim-a").save()
    version._seen.update(seen)  # now read as that other worker
    assert "Changed while" not in client.get(url).content.decode()
    later = version._now() + version.CHECK_SECONDS
    monkeypatch.setattr(version, "_now", lambda: later)
    assert "Changed while" in client.get(url).content.decode()


def test_a_change_showing_on_very_many_pages_marks_every_page_stale_at_once(
    library, monkeypatch, django_capture_on_commit_callbacks
):
    from carnk_site.publishing import pages

    bumps = []
    monkeypatch.setattr(version, "bump", lambda names=None: bumps.append(names))
    monkeypatch.setattr(pages, "MANY", 3)
    with django_capture_on_commit_callbacks(execute=True):
        claim = Claim.objects.get(slug="claim-a")
        claim.statement = "Changed."
        claim.save()
    assert bumps == [None], "one site-wide bump, not one per page"
