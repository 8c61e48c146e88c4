"""Machine-readable files: JSON-LD on articles, sitemap, change feed, robots.txt; all public and cacheable."""

import json
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from .conftest import make_article, make_claim, make_source, make_term

pytestmark = pytest.mark.django_db
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def json_ld(client, article):
    page = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    scripts = page.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    return json.loads(scripts[0].string)


def test_article_describes_itself_as_a_medical_web_page_for_patients(client):
    article = make_article()
    assert json_ld(client, article) == {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": "A test article",
        "headline": "A test article",
        "description": "What this test is about.",
        "url": "http://testserver/articles/test-article/",
        "inLanguage": "en-GB",
        "lastReviewed": "2026-11-21",
        "audience": {"@type": "Patient"},
        "about": {"@type": "MedicalTherapy", "name": "CAR-NK cell therapy"},
        "isAccessibleForFree": True,
    }


def test_json_ld_cannot_close_its_script_element(client):
    title = "</script><script>alert(1)</script> & more"
    article = make_article(title=title)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert json_ld(client, article)["name"] == title


def test_sitemap_lists_public_pages_with_last_changes_and_no_drafts(client):
    make_claim()
    make_term()
    make_article(body="[8 of 11](claim:test-claim)")  # cites the source, which makes it public
    make_article(slug="a-draft", status="draft")
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and "public" in response["Cache-Control"]
    urls = {
        u.find(f"{SITEMAP}loc").text: getattr(u.find(f"{SITEMAP}lastmod"), "text", None)
        for u in ElementTree.fromstring(response.content)
    }
    assert urls["http://testserver/articles/test-article/"] == "2026-11-21"
    assert "http://testserver/articles/a-draft/" not in urls
    for path in ("/", "/glossary/", "/glossary/natural-killer-cell/", "/sources/test-source/", "/evidence/"):
        assert f"http://testserver{path}" in urls
    assert urls["http://testserver/pages/about/"]  # trust pages carry their last change


def test_sitemap_lastmod_follows_the_last_saved_version(admin_client, client):
    import reversion

    article = make_article()
    with reversion.create_revision():
        article.save()
    lastmod = {
        u.find(f"{SITEMAP}loc").text: u.find(f"{SITEMAP}lastmod").text
        for u in ElementTree.fromstring(client.get("/sitemap.xml").content)
        if u.find(f"{SITEMAP}lastmod") is not None
    }
    from django.utils import timezone

    assert lastmod["http://testserver/articles/test-article/"] == timezone.now().date().isoformat()


def test_change_feed_is_atom_and_advertised_on_every_page(client):
    make_article()
    make_source()
    feed = client.get(reverse("machine_readable:changes_feed"))
    assert feed.status_code == 200 and feed["Content-Type"].startswith("application/atom+xml")
    assert "public" in feed["Cache-Control"]
    for url in ("/", "/articles/test-article/", "/glossary/", "/sources/", "/pages/about/", "/search/?q=cell"):
        head = BeautifulSoup(client.get(url).content, "html.parser").head
        link = head.find("link", rel="alternate", type="application/atom+xml")
        assert link["href"] == "/changes.atom", url


def test_robots_txt_allows_readers_pages_and_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8" and "public" in response["Cache-Control"]
    assert response.content.decode().splitlines() == [
        "User-agent: *",
        "Disallow: /admin/",
        "Allow: /",
        "Sitemap: http://testserver/sitemap.xml",
    ]


def test_robots_txt_never_reveals_a_custom_admin_path(client, settings):
    settings.ADMIN_PATH = "editors-7f3a/"
    assert "editors-7f3a" not in client.get("/robots.txt").content.decode()
