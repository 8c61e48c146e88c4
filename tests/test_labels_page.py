"""The page that explains the labels matches the ladder the code draws (issue 23)."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from carnk_site.text.levels import LADDER, STATEMENT_LABEL_WORDS, EvidenceLevel, kind_words


@pytest.mark.django_db
def test_the_labels_article_names_every_label_the_code_draws_and_none_it_does_not(site_content, client):
    page = BeautifulSoup(client.get(reverse("evidence:levels")).content, "html.parser")
    article = page.select_one(".article-body").get_text(" ")
    article = " ".join(article.split())
    for level in (*LADDER, EvidenceLevel.BASIC_BIOLOGY):
        assert str(level.label) in article or kind_words(level) in article, level
    for words in STATEMENT_LABEL_WORDS.values():
        assert str(words) in article, words
    assert "number of people not given" in article
    assert "General overview" not in page.get_text()


@pytest.mark.django_db
def test_the_ladder_section_explains_how_many_people(client):
    page = BeautifulSoup(client.get(reverse("evidence:levels")).content, "html.parser")
    section = page.find(id="how-many-people").find_next("p").get_text()
    assert "more than 20 people" in section and "number of people not given" in section
