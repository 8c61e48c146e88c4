"""Feed, JSON-LD and sitemap per language: only published translations are offered in their language."""

import json
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup

from carnk_site.about.models import TrustPage
from carnk_site.translations.models import ArticleTranslation, PageTranslation, TermTranslation
from tests.conftest import make_article, make_term
from tests.test_translations import reviewer_for

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def translate(article, language="zh-hans", title="安全性和副作用", approve=True):
    t = ArticleTranslation.objects.create(
        article=article, language=language, title=title, summary="这篇文章讲什么。", body="简单的文字。"
    )
    if approve:
        t.approve(reviewer_for(language))
    return t


def json_ld(client, address):
    page = BeautifulSoup(client.get(address).content, "html.parser")
    return json.loads(page.find("script", type="application/ld+json").string)


def sitemap(client):
    root = ElementTree.fromstring(client.get("/sitemap.xml").content)
    return {u.find(f"{SITEMAP}loc").text: {link.get("hreflang") for link in u.findall(f"{XHTML}link")} for u in root}


def feed(client, query=""):
    response = client.get(f"/changes.atom{query}")
    assert response.status_code == 200, response.status_code
    return ElementTree.fromstring(response.content)


def test_json_ld_on_a_translated_page_is_in_its_language_with_the_translated_headline(client):
    article = make_article()
    translate(article)
    data = json_ld(client, "/zh-hans/articles/test-article/")
    assert data["inLanguage"] == "zh-Hans" and data["headline"] == data["name"] == "安全性和副作用"
    assert data["description"] == "这篇文章讲什么。"
    assert data["url"] == "http://testserver/zh-hans/articles/test-article/"
    assert data["translationOfWork"]["url"] == "http://testserver/articles/test-article/"
    assert data["reviewedBy"]["name"]  # the clinician fluent in the language who approved it (a test fixture)
    english = json_ld(client, "/articles/test-article/")
    assert english["inLanguage"] == "en-GB" and english["headline"] == "A test article"
    assert "translationOfWork" not in english


def test_json_ld_without_a_published_translation_says_english(client):
    translate(make_article(), language="hi", title="मसौदा", approve=False)
    data = json_ld(client, "/hi/articles/test-article/")
    assert data["inLanguage"] == "en-GB" and data["headline"] == "A test article"
    assert "translationOfWork" not in data


def test_sitemap_lists_a_translated_address_only_once_its_translation_is_published(client):
    article = make_article()
    term = make_term()
    translate(article, language="hi", title="मसौदा", approve=False)
    urls = sitemap(client)
    assert "http://testserver/articles/test-article/" in urls
    assert "http://testserver/hi/articles/test-article/" not in urls
    assert "http://testserver/zh-hans/articles/test-article/" not in urls
    assert urls["http://testserver/articles/test-article/"] == {"en", "x-default"}
    assert "http://testserver/zh-hans/" in urls and "http://testserver/hi/" in urls  # the interface is translated
    translate(article)  # published in Chinese
    t = TermTranslation.objects.create(term=term, language="hi", name="एनके कोशिका", definition="एक कोशिका।")
    t.approve(reviewer_for("hi"))
    urls = sitemap(client)
    assert urls["http://testserver/zh-hans/articles/test-article/"] == {"en", "zh-hans", "x-default"}
    assert "http://testserver/hi/articles/test-article/" not in urls
    assert "http://testserver/hi/glossary/natural-killer-cell/" in urls
    assert "http://testserver/zh-hans/glossary/natural-killer-cell/" not in urls


def test_sitemap_lists_a_page_about_the_site_in_a_language_once_published(client):
    page = TrustPage.objects.first() or pytest.skip("no page about the site is shipped")
    english = f"http://testserver{page.get_absolute_url()}"
    assert english in sitemap(client)
    chinese = english.replace("testserver/", "testserver/zh-hans/", 1)
    assert chinese not in sitemap(client)
    t = PageTranslation.objects.create(page=page, language="zh-hans", title="关于", summary="关于本站", body="文字。")
    t.approve(reviewer_for("zh-hans"))
    assert chinese in sitemap(client)


def test_feed_in_a_language_lists_its_published_translations(client):
    first = make_article()
    second = make_article(slug="second", title="Second", order=2)
    translate(first)
    translate(second, title="第二篇", approve=False)
    translate(second, language="hi", title="दूसरा")
    root = feed(client, "?lang=zh-hans")
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["安全性和副作用"]
    assert entries[0].find(f"{ATOM}link").get("href") == "http://testserver/zh-hans/articles/test-article/"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh-hans"
    hindi = feed(client, "?lang=hi").findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in hindi] == ["दूसरा"]


def test_feed_in_english_is_unchanged_and_an_unknown_language_is_refused(client):
    translate(make_article())
    assert feed(client).findall(f"{ATOM}entry") == []  # translations are not English changes
    refused = client.get("/changes.atom?lang=xx")
    assert refused.status_code == 400 and "lang" in refused.content.decode()


def test_each_language_page_links_its_own_feed(client):
    make_article()
    page = BeautifulSoup(client.get("/hi/").content, "html.parser")
    assert page.find("link", type="application/atom+xml")["href"] == "/changes.atom?lang=hi"
    english = BeautifulSoup(client.get("/").content, "html.parser")
    assert english.find("link", type="application/atom+xml")["href"] == "/changes.atom"
