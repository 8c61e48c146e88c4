"""Nothing a reader types is lost: the server counts characters as the browser does, and a refusal keeps the text."""

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from carnk_site.feedback.models import MAX_TEXT, Feedback

from .conftest import make_article

pytestmark = pytest.mark.django_db
PAGE = "/articles/test-article/"


@pytest.fixture(autouse=True)
def an_article_and_a_fresh_rate_limit():
    make_article()
    cache.clear()
    yield
    cache.clear()


def post(**changes):
    data = {"page": PAGE, "helpful": "no", "text": "", "website": ""} | changes
    return Client().post(reverse("feedback:submit"), data, REMOTE_ADDR="203.0.113.9")


def test_a_multi_line_note_the_box_allowed_is_stored_with_one_character_per_line_break():
    lines = ["x" * 49] * 20  # 20 lines of 49 + 19 line breaks = 999 characters as the browser counts them
    browser_text = "\n".join(lines)
    assert len(browser_text) == MAX_TEXT - 1
    response = post(text=browser_text.replace("\n", "\r\n"))  # what a browser sends: CR LF
    assert response.status_code == 302, response.content.decode()[-500:]
    assert Feedback.objects.get().text == browser_text


def test_a_refused_note_comes_back_in_the_retry_form_word_for_word():
    too_long = "Line one.\r\n" + "y" * MAX_TEXT
    response = post(text=too_long, helpful="yes")
    assert response.status_code == 400
    assert not Feedback.objects.exists()
    page = BeautifulSoup(response.content, "html.parser")
    assert "at most 1000 characters" in page.select_one(".form-errors").get_text()
    retry = page.select_one("form.feedback-form")
    assert retry.find("textarea", {"name": "text"}).get_text().replace("\r\n", "\n") == too_long.replace("\r\n", "\n")
    assert retry.find("input", {"name": "helpful", "checked": True})["value"] == "yes"
    assert retry.find("input", {"name": "page"})["value"] == PAGE


def test_a_refused_page_keeps_the_text_too():
    response = post(page="/not-an-article/", text="Keep me, please.")
    assert response.status_code == 400
    textarea = BeautifulSoup(response.content, "html.parser").find("textarea", {"name": "text"})
    assert textarea.get_text() == "Keep me, please."
