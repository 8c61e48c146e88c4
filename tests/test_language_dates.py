"""Each language writes dates its own way: "21 May 2027", "2027年5月21日", "21 मई 2027" (FORMAT_MODULE_PATH)."""

import datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.template import Context, Template
from django.utils import translation

from tests.conftest import make_article

pytestmark = pytest.mark.django_db

DAY = datetime.date(2027, 5, 21)
EXPECTED = {"en": "21 May 2027", "zh-hans": "2027年5月21日", "hi": "21 मई 2027"}
READER_TEMPLATES = ["articles", "evidence", "translations", "trust", "search", "pages", "glossary"]


@pytest.mark.parametrize(("language", "expected"), EXPECTED.items())
def test_the_named_date_format_reads_as_the_language_writes_dates(language, expected):
    with translation.override(language):
        assert Template('{{ day|date:"DATE_FORMAT" }}').render(Context({"day": DAY})) == expected


@pytest.mark.parametrize(("prefix", "language"), [("", "en"), ("/zh-hans", "zh-hans"), ("/hi", "hi")])
def test_an_article_page_shows_its_review_date_in_the_language(client, prefix, language):
    make_article(next_review_due=DAY)
    page = BeautifulSoup(client.get(f"{prefix}/articles/test-article/").content, "html.parser")
    assert page.find("time", datetime="2027-05-21").get_text() == EXPECTED[language]


def test_reader_templates_use_the_named_format_not_a_pattern_of_their_own():
    root = Path(__file__).resolve().parent.parent / "templates"
    offenders = [
        str(path.relative_to(root))
        for folder in READER_TEMPLATES
        for path in (root / folder).rglob("*.html")
        if '|date:"j F Y"' in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
