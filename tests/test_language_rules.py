"""Issue 26, item 1, on every public page in every language: `<html lang dir>` and a switcher to the same page.

tests/test_translations.py checks a few pages; this walks them all, paged lists included, so a new
page or a new query parameter cannot lose the reader's place when they change language.
"""

import pytest
from bs4 import BeautifulSoup
from django.test import override_settings

from carnk_site.reader import articles
from tests.conftest import make_article, make_claim, make_source, make_term

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/articles/",
    "/articles/test-article/",
    "/glossary/",
    "/glossary/natural-killer-cell/",
    "/evidence/",
    "/sources/",
    "/sources/test-source/",
    "/search/?q=cell",
    "/pages/about/",
    "/feedback/thanks/",
]
PREFIX = {"en": "", "zh-hans": "/zh-hans", "hi": "/hi"}


@pytest.fixture
def library():
    make_claim(source=make_source())
    make_term()
    make_article(body="[Eight of eleven](claim:test-claim) responded.")


def page(client, path):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return BeautifulSoup(response.content, "html.parser")


@pytest.mark.parametrize("language", PREFIX)
def test_every_page_says_its_language_and_direction_and_links_itself_in_the_others(client, library, language):
    for path in PAGES:
        html = page(client, PREFIX[language] + path)
        assert (html.html["lang"], html.html["dir"]) == (language, "ltr"), path
        switcher = html.find("nav", class_="language-switcher")
        assert switcher.find("strong", attrs={"aria-current": "true"})["lang"] == language, path
        links = {a["hreflang"]: a["href"] for a in switcher.find_all("a")}
        assert links == {code: PREFIX[code] + path for code in PREFIX if code != language}, path


def test_the_switcher_keeps_the_page_of_a_long_list(client, library, monkeypatch):
    monkeypatch.setattr(articles, "ARTICLES_PER_PAGE", 1)
    make_article(slug="second", title="Second", order=2)
    links = {
        a["hreflang"]: a["href"]
        for a in page(client, "/hi/articles/?page=2").find("nav", class_="language-switcher").find_all("a")
    }
    assert links == {"en": "/articles/?page=2", "zh-hans": "/zh-hans/articles/?page=2"}


@override_settings(LANGUAGES=[("en", "English"), ("zh-hans", "简体中文"), ("hi", "हिन्दी"), ("ar", "العربية")])
def test_a_right_to_left_test_locale_turns_every_page_right_to_left(client, library):
    for path in PAGES:
        html = page(client, "/ar" + path)
        assert (html.html["lang"], html.html["dir"]) == ("ar", "rtl"), path
