"""The search module and page: every word must match; drafts and unpublished claims stay hidden."""

import pytest
from bs4 import BeautifulSoup

from carnk_site.articles.models import Article
from carnk_site.evidence.models import Citation
from carnk_site.search import search as search_module
from carnk_site.search.search import MAX_WORDS, search, words

from .conftest import make_article, make_claim, make_source, make_term

pytestmark = pytest.mark.django_db


def test_words_are_distinct_and_bounded():
    assert words("  NK   cells nk ") == ["NK", "cells"]
    assert len(words(" ".join(f"w{i}" for i in range(30)))) == MAX_WORDS


def test_every_word_must_match_in_some_field():
    make_claim("cord", statement="Cord blood gives NK cells.")
    make_term(slug="cord-blood", term="Cord blood", aliases="")
    make_article(slug="sources", title="Where cells come from", body="From [cord blood](claim:cord) and donors.")
    found = search("CORD donors")
    assert [a.slug for a in found.articles] == ["sources"]
    assert found.terms == [] and found.claims == []
    found = search("cord blood")
    assert [t.slug for t in found.terms] == ["cord-blood"] and [r.claim.slug for r in found.claims] == ["cord"]


def test_drafts_and_their_claims_are_never_found():
    make_claim("secret", statement="A secret finding.")
    make_article(slug="draft", title="Secret draft", status=Article.Status.DRAFT, body="[x](claim:secret)")
    found = search("secret")
    assert found.total == 0


def test_empty_query_finds_nothing_and_the_page_says_what_to_do(client):
    assert search("   ").total == 0 and search("   ").query == ""
    page = BeautifulSoup(client.get("/search/?q=").content, "html.parser")
    assert page.h1.get_text() == "Search this site"
    assert "Type a word or two" in page.main.get_text()


def test_results_page_queries_do_not_grow_with_matches(client, django_assert_max_num_queries):
    make_claim("c0", statement="Word here.")
    body = " ".join(f"[Word {i}](claim:c{i})" for i in range(20))
    for i in range(1, 20):
        make_claim(f"c{i}", statement=f"Word number {i}.")
    make_article(slug="a", body=body)
    with django_assert_max_num_queries(3):
        response = client.get("/search/?q=word")
    page = BeautifulSoup(response.content, "html.parser")
    assert len(page.select("#found-claims ~ ul li")) == 20


def test_claims_beyond_the_limit_are_dropped_whole_never_with_missing_citations(monkeypatch):
    monkeypatch.setattr(search_module, "MAX_RESULTS", 2)
    monkeypatch.setattr(search_module, "CITATIONS_PER_CLAIM", 1)
    source = make_source()
    for slug, count in (("a", 1), ("b", 3), ("c", 1)):
        claim = make_claim(slug, source, statement="Word.")
        for position in range(2, count + 1):
            Citation.objects.create(claim=claim, source=source, quote="NK cells were given", position=position)
    make_article(body="[x](claim:a) [y](claim:b) [z](claim:c)")
    found = search("word").claims
    assert [(r.claim.slug, len(r.citations)) for r in found] == [("a", 1)]
