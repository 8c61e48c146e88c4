"""Honest hreflang alternates: a content page names a language only where its translation is published.

Pages of the interface (home, search, glossary index, labels, lists) exist in every language. An
article, a glossary term or a page about the site exists in Chinese or Hindi only once that
record's translation is published; until then its /zh-hans/ address is the English under a
notice, and telling search engines otherwise would list the English twice as two languages.
"""

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache

from carnk_site.about.models import TrustPage
from carnk_site.translations.models import PageTranslation, TermTranslation
from tests.conftest import make_article, make_claim, make_source, make_term
from tests.test_translations import chinese_reviewer, translate_article

pytestmark = pytest.mark.django_db

EVERY = {"en", "zh-hans", "hi", "x-default"}


def alternates(client, path):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    head = BeautifulSoup(response.content, "html.parser").head
    return {link["hreflang"]: link["href"] for link in head.find_all("link", rel="alternate", hreflang=True)}


def switcher(client, path):
    page = BeautifulSoup(client.get(path).content, "html.parser")
    nav = page.find("nav", class_="language-switcher")
    return {a["hreflang"] for a in nav.find_all("a")} | {s["lang"] for s in nav.find_all("strong")}


@pytest.mark.parametrize("prefix", ["", "/zh-hans", "/hi"])
def test_pages_of_the_interface_name_every_language(client, prefix):
    make_article()
    for path in ("/", "/articles/", "/glossary/", "/evidence/", "/sources/", "/search/?q=cell"):
        assert set(alternates(client, prefix + path)) == EVERY, path


@pytest.mark.parametrize("prefix", ["", "/zh-hans", "/hi"])
def test_an_untranslated_article_names_only_english(client, prefix):
    make_article()
    assert alternates(client, prefix + "/articles/test-article/") == {
        "en": "http://testserver/articles/test-article/",
        "x-default": "http://testserver/articles/test-article/",
    }
    assert switcher(client, prefix + "/articles/test-article/") == {"en", "zh-hans", "hi"}  # the interface still is


def test_an_article_names_the_languages_its_translation_is_published_in(client):
    article = make_article()
    translate_article(article).approve(chinese_reviewer())
    translate_article(article, language="hi", title="परीक्षण लेख")  # drafted, never approved
    for prefix in ("", "/zh-hans", "/hi"):
        assert alternates(client, prefix + "/articles/test-article/") == {
            "en": "http://testserver/articles/test-article/",
            "zh-hans": "http://testserver/zh-hans/articles/test-article/",
            "x-default": "http://testserver/articles/test-article/",
        }


def test_an_edit_after_approval_takes_the_language_off_until_approved_again(client):
    translation = translate_article(make_article())
    translation.approve(chinese_reviewer())
    translation.title = "改过的标题"
    translation.save()
    assert set(alternates(client, "/articles/test-article/")) == {"en", "x-default"}


def test_a_glossary_term_and_a_page_about_the_site_name_their_published_languages(client):
    term = make_term()
    page = TrustPage.objects.get(slug="about")
    assert set(alternates(client, "/glossary/natural-killer-cell/")) == {"en", "x-default"}
    assert set(alternates(client, "/zh-hans/pages/about/")) == {"en", "x-default"}
    reviewer = chinese_reviewer()
    TermTranslation.objects.create(
        term=term, language="zh-hans", name="自然杀伤细胞", definition="一种免疫细胞。"
    ).approve(reviewer)
    PageTranslation.objects.create(
        page=page, language="zh-hans", title="关于", summary="关于本站。", body="文字。"
    ).approve(reviewer)
    assert set(alternates(client, "/hi/glossary/natural-killer-cell/")) == {"en", "zh-hans", "x-default"}
    assert set(alternates(client, "/pages/about/")) == {"en", "zh-hans", "x-default"}


def test_a_source_page_is_english_in_every_language(client):
    make_claim(source=make_source())
    make_article(body="[Eight of eleven](claim:test-claim) responded.")  # a source readers may see
    assert alternates(client, "/zh-hans/sources/test-source/") == {
        "en": "http://testserver/sources/test-source/",
        "x-default": "http://testserver/sources/test-source/",
    }


def test_a_cached_english_page_names_a_translation_once_published_and_drops_it_once_deleted(
    client, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    try:
        article = make_article()
        assert set(alternates(client, "/articles/test-article/")) == {"en", "x-default"}
        translation = translate_article(article)
        with django_capture_on_commit_callbacks(execute=True):
            translation.approve(chinese_reviewer())
        assert set(alternates(client, "/articles/test-article/")) == {"en", "zh-hans", "x-default"}
        assert "测试文章" in client.get("/zh-hans/articles/test-article/").content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            translation.delete()
        assert set(alternates(client, "/articles/test-article/")) == {"en", "x-default"}
        assert "测试文章" not in client.get("/zh-hans/articles/test-article/").content.decode()
    finally:
        cache.clear()


@pytest.mark.parametrize("path", ["/articles/test-article/", "/zh-hans/articles/test-article/"])
def test_knowing_the_languages_costs_an_article_page_no_query(client, path, django_assert_max_num_queries):
    make_article()
    with django_assert_max_num_queries(3):  # the article with its neighbours and languages, its sources, its changes
        assert client.get(path).status_code == 200


def test_a_missing_page_names_no_alternates(client):
    response = client.get("/zh-hans/articles/no-such-article/")
    assert response.status_code == 404
    head = BeautifulSoup(response.content, "html.parser").head
    assert head.find_all("link", hreflang=True) == []
