"""Readers tell us: a cookie-free form on cached pages, stored for triage, kept cheap for bots to ignore."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from carnk_site.feedback.models import Feedback
from carnk_site.review.roles import WRITERS_GROUP

from .conftest import make_article

pytestmark = pytest.mark.django_db
PAGE = "/articles/test-article/"


@pytest.fixture(autouse=True)
def two_articles_and_a_fresh_rate_limit():
    make_article()
    make_article(slug="other", title="Other")
    cache.clear()
    yield
    cache.clear()


def answer(**changes):
    data = {"page": PAGE, "helpful": "no", "text": "The second paragraph was unclear.", "website": ""}
    data.update(changes)
    return data


def post(client=None, address="203.0.113.5", **changes):
    client = client or Client(enforce_csrf_checks=True)
    return client.post(reverse("feedback:submit"), answer(**changes), REMOTE_ADDR=address)


def test_every_article_ends_with_a_cookie_free_feedback_form(client, settings):
    settings.PAGE_CACHE_SECONDS = 600
    response = client.get(PAGE)
    form = BeautifulSoup(response.content, "html.parser").select_one("form.feedback-form")
    assert form["action"] == reverse("feedback:submit") and form["method"] == "post"
    assert form.find("legend").get_text() == "Was this page helpful?"
    assert {i["value"] for i in form.select("input[name=helpful]")} == {"yes", "no"}
    assert form.find("textarea", {"name": "text"})["maxlength"] == "1000"
    assert form.find("input", {"name": "page"})["value"] == PAGE
    assert form.find("a", string="Report a mistake")["href"] == "/pages/report-a-mistake/"
    assert form.find("input", {"name": "csrfmiddlewaretoken"}) is None
    assert not response.cookies and "public" in response["Cache-Control"]
    assert not {i.get("name") for i in form.find_all("input")} & {"name", "email", "phone"}


def test_an_answer_is_stored_for_triage_and_the_reader_thanked():
    response = post()
    assert response.status_code == 302 and response["Location"] == reverse("feedback:thanks")
    stored = Feedback.objects.get()
    assert (stored.page, stored.helpful, stored.text, stored.status) == (
        PAGE,
        False,
        "The second paragraph was unclear.",
        "new",
    )
    thanks = Client().get(reverse("feedback:thanks"))
    assert thanks.status_code == 200 and "Thank you" in thanks.content.decode()
    assert not response.cookies


def test_yes_without_text_is_enough():
    assert post(helpful="yes", text="").status_code == 302
    assert Feedback.objects.get().helpful is True


def test_a_filled_honeypot_is_thanked_and_dropped():
    assert post(website="http://spam.example").status_code == 302
    assert not Feedback.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"text": "x" * 1001}, "at most 1000 characters"),
        ({"page": "/glossary/"}, "only works from an article page"),
        ({"page": "https://elsewhere.example/"}, "only works from an article page"),
        ({"page": "/articles/no-such-article/"}, "only works from an article page"),
        ({"helpful": "maybe"}, "Select a valid choice"),
        ({"helpful": ""}, "This field is required"),
    ],
)
def test_bad_answers_get_a_clear_error_and_change_nothing(changes, message):
    response = post(**changes)
    assert response.status_code == 400
    assert message in BeautifulSoup(response.content, "html.parser").get_text()
    assert not Feedback.objects.exists()


def test_feedback_endpoint_only_accepts_posts():
    assert Client().get(reverse("feedback:submit")).status_code == 405


def test_answers_are_rate_limited_per_address():
    for _ in range(5):
        assert post(address="198.51.100.7").status_code == 302
    limited = post(address="198.51.100.7")
    assert limited.status_code == 429 and "try again in ten minutes" in limited.content.decode()
    assert post(address="198.51.100.8").status_code == 302
    assert Feedback.objects.count() == 6


def test_triage_list_filters_and_marks_answers():
    post(text="Wrong number in the first box.")
    post(helpful="yes", text="")
    editor = User.objects.create_user("writer", password="a-long-test-passphrase", is_staff=True)
    editor.groups.add(Group.objects.get(name=WRITERS_GROUP))
    client = Client()
    client.force_login(editor)
    changelist = reverse("admin:feedback_feedback_changelist")
    listing = client.get(changelist, {"helpful__exact": "0"})
    assert "Wrong number in the first box." in listing.content.decode()
    wrong = Feedback.objects.get(helpful=False)
    response = client.post(changelist, {"action": "mark_acted_on", "_selected_action": [wrong.pk]})
    assert response.status_code == 302
    wrong.refresh_from_db()
    assert wrong.status == "acted"
    assert "Wrong number" not in client.get(changelist, {"status__exact": "new"}).content.decode()
    assert client.get(reverse("admin:feedback_feedback_add")).status_code == 403


def test_editorial_overview_counts_answers_per_page(admin_client):
    post(text="Unclear.")
    post(helpful="yes", text="")
    post(helpful="yes", text="", page="/articles/other/")
    page = BeautifulSoup(admin_client.get(reverse("admin:articles_article_overview")).content, "html.parser")
    rows = {
        tr.find("td").get_text(): [td.get_text() for td in tr.find_all("td")[1:]]
        for tr in page.find("h2", string="What readers told us").find_next("table").select("tbody tr")
    }
    assert rows == {PAGE: ["1", "1", "2"], "/articles/other/": ["1", "0", "1"]}
    link = page.find("a", string="/articles/other/")["href"]
    filtered = admin_client.get(link)
    assert filtered.status_code == 200 and list(filtered.context["cl"].result_list.values_list("page", flat=True)) == [
        "/articles/other/"
    ]
