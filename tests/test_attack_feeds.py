"""Feeds, sitemap, JSON and pages survive whatever an editor pastes; the sitemap lists exactly the public URLs."""

import json
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from carnk_site.articles.models import ReaderNote
from carnk_site.text.xml_safe import xml_safe

from .conftest import make_article, make_claim, make_source, make_term

pytestmark = pytest.mark.django_db
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"
PASTED = "Results\x0bfrom the\x0ctrial \x1f\ufffe"  # no NUL: every form refuses it, PostgreSQL cannot store it


def test_xml_safe_keeps_tabs_and_line_breaks_and_replaces_what_xml_forbids():
    assert xml_safe("a\tb\nc\rd") == "a\tb\nc\rd"
    assert xml_safe(PASTED) == "Results from the trial   "
    assert xml_safe("a\x00b\ud800c") == "a b c"
    assert xml_safe(None) is None


def test_a_pasted_control_character_in_a_title_or_change_note_does_not_break_the_feed(client):
    make_claim()
    article = make_article(title=f"CAR-NK {PASTED}", summary=f"Summary {PASTED}", body="[x](claim:test-claim)")
    ReaderNote.objects.create(article=article, note=f"We changed\x0bthe\x0cdosing {PASTED}")
    feed = client.get(reverse("machine_readable:changes_feed"))
    assert feed.status_code == 200, feed.content[:500]
    entry = ElementTree.fromstring(feed.content).find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == "CAR-NK Results from the trial   "
    assert "We changed the dosing" in entry.find(f"{ATOM}summary").text
    for url in (article.get_absolute_url(), "/", "/sitemap.xml", "/evidence/", "/sources/test-source/"):
        response = client.get(url)
        assert response.status_code == 200, url
    ld = [s for s in _scripts(client, article) if s.get("type") == "application/ld+json"]
    assert json.loads(ld[0].get_text())["name"] == article.title  # JSON escapes control characters itself


def _scripts(client, article):
    from bs4 import BeautifulSoup

    return BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser").find_all("script")


def test_sitemap_lists_no_source_that_only_a_draft_cites(client):
    public = make_source(slug="public-source")
    private = make_source(slug="draft-only-source")
    make_claim(slug="public-claim", source=public)
    make_claim(slug="draft-claim", source=private)
    make_term()
    make_article(body="[x](claim:public-claim)")
    make_article(slug="a-draft", status="draft", body="[y](claim:draft-claim)")
    urls = {u.find(f"{SITEMAP}loc").text for u in ElementTree.fromstring(client.get("/sitemap.xml").content)}
    assert "http://testserver/sources/public-source/" in urls
    assert "http://testserver/sources/draft-only-source/" not in urls
    assert "http://testserver/articles/a-draft/" not in urls
    for url in urls:  # exactly the public URLs: every one answers
        assert client.get(url.removeprefix("http://testserver")).status_code == 200, url
