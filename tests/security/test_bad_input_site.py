"""Bad input through the site: editor fields, public addresses, the page cache, drafts and previews.

Each test is one case from issue 15; none may end in a 5xx, and refused input changes nothing.
"""

import socket
import time
import uuid

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from carnk_site.articles.models import Article
from carnk_site.glossary.models import Term
from carnk_site.reliability.limits import preview_slot
from carnk_site.text.references import MAX_NAME_LENGTH, GlossaryMatcher, TermRef
from tests.conftest import PUBLISHABLE_BODY, article_form, make_article, make_claim, make_source, make_term

from .conftest import admin_url

pytestmark = pytest.mark.django_db
REDIS_URL = "redis://127.0.0.1:6379/2"  # this worktree's Redis database


def term_form(term, **changes):
    data = {
        "slug": term.slug,
        "term": term.term,
        "aliases": term.aliases,
        "definition": term.definition,
        "explanation": "",
        "seen_edit_token": term.edit_token,
    }
    return {**data, **changes}


# Editor fields ----------------------------------------------------------------------------------------


def test_an_alias_of_457_characters_is_a_form_error_not_a_500(admin_client):
    term = make_term()
    alias = ("natural killer " * 40)[:457]
    response = admin_client.post(admin_url(f"glossary/term/{term.pk}/change/"), term_form(term, aliases=alias))
    assert response.status_code == 200
    assert f"at most {MAX_NAME_LENGTH} characters" in str(response.context["adminform"].form.errors["aliases"])
    assert Term.objects.get().aliases == term.aliases


def test_a_long_name_already_in_the_database_does_not_break_later_saves(admin_client):
    make_claim()
    Term.objects.create(slug="long", term="Long", aliases="a" * 2000, definition="A long name.")
    article = make_article(body=PUBLISHABLE_BODY, status=Article.Status.DRAFT)
    response = admin_client.post(admin_url(f"articles/article/{article.pk}/change/"), article_form(article))
    assert response.status_code == 302


def test_the_matcher_compiles_the_deepest_trie_the_name_limit_allows():
    names = tuple("a" * n for n in range(1, MAX_NAME_LENGTH + 1))
    matcher = GlossaryMatcher([TermRef("a", names, "/glossary/a/")])
    assert [slug for _, slug in matcher.finditer("x " + "a" * MAX_NAME_LENGTH + " y")] == ["a"]


@pytest.mark.parametrize("preview", [False, True])
def test_a_body_of_600_nested_list_markers_saves_and_previews(admin_client, preview):
    make_claim()
    article = make_article(body=PUBLISHABLE_BODY, status=Article.Status.DRAFT)
    data = article_form(article, body="1. " * 600, **({"_preview": "1"} if preview else {}))
    response = admin_client.post(admin_url(f"articles/article/{article.pk}/change/"), data)
    assert response.status_code == (200 if preview else 302)
    if not preview:
        assert "<ol>" in Article.objects.get().body_html


def test_a_body_over_the_limit_is_a_form_error(admin_client):
    make_claim()
    article = make_article(body=PUBLISHABLE_BODY, status=Article.Status.DRAFT)
    data = article_form(article, body="Plain words. " * 4000)
    response = admin_client.post(admin_url(f"articles/article/{article.pk}/change/"), data)
    assert response.status_code == 200
    assert "40,000" in str(response.context["adminform"].form.errors["body"])
    assert Article.objects.get().body == PUBLISHABLE_BODY


def test_a_claim_preview_whose_statement_holds_a_claim_link_shows_it_as_text(admin_client):
    claim = make_claim()
    source = claim.citations.get().source
    data = {
        "slug": claim.slug,
        "statement": "It said so](claim:nope) and more.",
        "evidence": "phase-1",
        "participants": 11,
        "seen_edit_token": claim.edit_token,
        "citations-TOTAL_FORMS": 1,
        "citations-INITIAL_FORMS": 1,
        "citations-MIN_NUM_FORMS": 1,
        "citations-MAX_NUM_FORMS": 1000,
        "citations-0-id": claim.citations.get().pk,
        "citations-0-claim": claim.pk,
        "citations-0-source": source.pk,
        "citations-0-quote": "Eight of the 11 patients responded",
        "citations-0-position": 1,
        "_preview": "1",
    }
    response = admin_client.post(admin_url(f"evidence/claim/{claim.pk}/change/"), data)
    assert response.status_code == 200
    assert "It said so](claim:nope) and more." in response.content.decode()


# Public addresses ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["q=%ff%fe", "q=" + "a" * 20_001, "utm_source=%ff"])
def test_malformed_or_absurdly_long_addresses_are_a_400(client, query):
    response = client.get("/search/?" + query)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize("query", ["q=%00", "q=a%00b", "q=%1b[31m", "q=" + "a" * 2001, "utm_source=%00"])
def test_control_characters_are_removed_and_long_searches_answered(client, query):
    response = client.get("/search/?" + query)
    assert response.status_code == 200
    assert "\x00" not in response.content.decode() and "\x1b" not in response.content.decode()


@pytest.mark.parametrize("words", ["CAR-NK", "natürliche Killerzellen", "クリニカル", "a+b", "100%25", "%22NK%22"])
def test_search_keeps_working_for_ordinary_words(client, words):
    assert client.get("/search/?q=" + words).status_code == 200


def test_a_nul_in_a_path_is_a_400(client):
    assert client.get("/articles/a%00b/").status_code == 400


def test_an_admin_filter_with_a_nul_is_cleaned_not_a_500(admin_client):
    assert admin_client.get(admin_url("articles/article/?status__exact=%00")).status_code in (200, 302)


# The page cache --------------------------------------------------------------------------------------------


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


def entries():
    return len(cache._cache)  # the local-memory backend the tests use


def test_500_tracking_tags_add_at_most_one_cache_entry(client, page_cache):
    make_claim()
    make_article(body=PUBLISHABLE_BODY)
    before = entries()
    for n in range(500):
        assert client.get(f"/claims.json?utm_source={n}").status_code == 200
    assert entries() - before <= 2  # the page, and the content version on a first fill


def redis_available():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.2).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not redis_available(), reason="no Redis on 127.0.0.1:6379")
def test_500_tracking_tags_add_at_most_one_key_to_redis(client, settings):
    settings.PAGE_CACHE_SECONDS = 60
    prefix = f"carnk-test-{uuid.uuid4().hex}"
    redis_cache = {
        "default": {"BACKEND": "carnk_site.caching.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": prefix}
    }
    make_claim()
    make_article(body=PUBLISHABLE_BODY)
    with override_settings(CACHES=redis_cache):
        redis = cache._cache.get_client()
        try:
            for n in range(500):
                assert client.get(f"/claims.json?utm_source={n}").status_code == 200
            assert len(redis.keys(f"{prefix}:*")) <= 2  # the page and the content version
        finally:  # never flush: the Redis database may be shared
            for key in redis.keys(f"{prefix}:*"):
                redis.delete(key)


def test_search_pages_are_cached_by_query_only(client, page_cache):
    client.get("/search/?q=nk")
    filled = entries()
    client.get("/search/?q=nk&utm_source=x&page=3")
    assert entries() == filled
    client.get("/search/?q=car")
    assert entries() == filled + 1


def test_pages_over_the_size_cap_are_served_but_not_stored(client, page_cache, settings):
    settings.PAGE_CACHE_MAX_BYTES = 100
    client.get("/glossary/")
    assert entries() <= 1  # at most the content version


# Drafts -------------------------------------------------------------------------------------------------------


def test_a_source_added_for_a_draft_article_is_not_public_until_the_article_is(client):
    source = make_source(slug="draft-only", short_name="Draft-only source")
    make_claim(slug="draft-claim", source=source)
    article = make_article(body="[8 of 11](claim:draft-claim).", status=Article.Status.DRAFT)
    assert "Draft-only source" not in client.get("/sources/").content.decode()
    assert client.get(source.get_absolute_url()).status_code == 404
    data = client.get("/claims.json").json()
    assert data["sources"] == [] and data["claims"] == []
    assert client.get(reverse("evidence:claim_json", args=["draft-claim"])).status_code == 404
    article.status = Article.Status.PUBLISHED
    article.save()
    assert "Draft-only source" in client.get("/sources/").content.decode()
    assert client.get(source.get_absolute_url()).status_code == 200
    assert [s["id"] for s in client.get("/claims.json").json()["sources"]] == ["draft-only"]


# Editor load --------------------------------------------------------------------------------------------------


def test_a_preview_beyond_the_limit_is_told_to_try_again_not_queued(admin_client, settings):
    settings.PREVIEW_CONCURRENCY = 2
    make_claim()
    article = make_article(body=PUBLISHABLE_BODY)
    url = admin_url(f"articles/article/{article.pk}/change/")
    with preview_slot() as first, preview_slot() as second:
        assert first and second
        started = time.monotonic()
        response = admin_client.post(url, article_form(article, _preview="1"))
        assert time.monotonic() - started < 5
    assert response.status_code == 429
    assert "Another preview is being prepared, try again in a moment" in response.content.decode()
    assert admin_client.post(url, article_form(article, _preview="1")).status_code == 200
