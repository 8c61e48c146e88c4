"""Soft locking: opening a record someone else has open says who and since when; nothing is blocked."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carnk_site.about.models import TrustPage
from carnk_site.editorial import presence
from carnk_site.editorial.models import EditingPresence
from carnk_site.review.roles import REVIEWERS_GROUP, WRITERS_GROUP

from .conftest import make_article, make_claim, make_source, make_term

pytestmark = pytest.mark.django_db


def writer_client(username, **names):
    user = User.objects.create_user(username, password="a-long-test-passphrase", is_staff=True, **names)
    user.groups.add(Group.objects.get(name=WRITERS_GROUP))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def priya():
    return writer_client("priya", first_name="Priya", last_name="Raman")


@pytest.fixture
def sam():
    return writer_client("sam")


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def heartbeat_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_presence", args=[obj.pk])


def notice(response):
    """Return the presence notice of a change form as (shown, text)."""
    assert response.status_code == 200
    box = BeautifulSoup(response.content, "html.parser").select_one("#presence-notice")
    assert box is not None, "the change form has no presence notice"
    return not box.has_attr("hidden"), " ".join(box.get_text().split())


def view_of(client, obj):
    """Open the change form; return the page view id its heartbeat sends."""
    response = client.get(change_url(obj))
    config = BeautifulSoup(response.content, "html.parser").select_one("#editor-config")
    return config["data-presence-view"]


def make_trust_page():
    return TrustPage.objects.create(slug="about-us", title="About us", summary="Who we are.", body="We are.")


RECORDS = {
    "article": make_article,
    "claim": lambda: make_claim(),
    "source": lambda: make_source(),
    "glossary term": lambda: make_term(),
    "page about the site": make_trust_page,
}


@pytest.mark.parametrize("kind", RECORDS)
def test_opening_a_record_someone_has_open_names_them_and_since_when(priya, sam, kind):
    record = RECORDS[kind]()
    priya.get(change_url(record))
    opened = EditingPresence.objects.get(user__username="priya").opened
    shown, text = notice(sam.get(change_url(record)))
    assert shown
    since = presence.clock(opened, timezone.now())
    assert f"Priya Raman has had this {kind} open since {since}." in text
    assert "If you both save, the second save is refused and kept in the form." in text
    assert "unsaved" not in text


def test_a_record_nobody_else_has_open_shows_no_notice_and_your_own_presence_is_never_shown(priya):
    article = make_article()
    priya.get(change_url(article))
    shown, text = notice(priya.get(change_url(article)))  # a reload, or a second tab
    assert not shown and text == ""
    assert priya.post(heartbeat_url(article), {"view": "ab12"}).json() == {"ok": True, "html": ""}


def test_the_heartbeat_keeps_the_editor_present_and_reports_unsaved_changes(priya, sam):
    article = make_article()
    view = view_of(priya, article)
    long_ago = timezone.now() - datetime.timedelta(minutes=10)
    EditingPresence.objects.update(seen=long_ago)
    _, text = notice(sam.get(change_url(article)))
    assert "Priya" not in text  # gone quiet: counts as gone

    typed = timezone.now().replace(microsecond=0) - datetime.timedelta(minutes=3)
    answer = priya.post(heartbeat_url(article), {"view": view, "unsaved_since": int(typed.timestamp() * 1000)})
    assert answer.status_code == 200 and answer["Content-Type"] == "application/json"
    assert "no-store" in answer["Cache-Control"]
    row = EditingPresence.objects.get(user__username="priya")
    assert row.seen > long_ago + datetime.timedelta(minutes=9)
    assert row.unsaved_since == typed
    assert "Sam" not in answer.json()["html"] and "sam" in answer.json()["html"]  # Sam opened it meanwhile

    shown, text = notice(sam.get(change_url(article)))
    assert shown
    assert f"and has unsaved changes here since {presence.clock(typed, timezone.now())}." in text

    priya.post(heartbeat_url(article), {"view": view})  # saved or discarded: nothing kept in the browser
    _, text = notice(sam.get(change_url(article)))
    assert "Priya Raman has had this article open since" in text and "unsaved" not in text


def test_presence_older_than_two_minutes_is_not_shown(priya, sam):
    article = make_article()
    priya.get(change_url(article))
    EditingPresence.objects.update(seen=timezone.now() - presence.PRESENT_FOR - datetime.timedelta(seconds=1))
    shown, text = notice(sam.get(change_url(article)))
    assert not shown and "Priya" not in text
    assert "Priya" not in sam.post(heartbeat_url(article), {"view": ""}).json()["html"]


def test_opening_again_after_going_quiet_starts_a_new_since(priya, sam):
    article = make_article()
    priya.get(change_url(article))
    hours_ago = timezone.now() - datetime.timedelta(hours=3)
    EditingPresence.objects.update(opened=hours_ago, seen=hours_ago)
    priya.get(change_url(article))
    assert EditingPresence.objects.get().opened > hours_ago + datetime.timedelta(hours=2)


def test_several_editors_are_each_named(priya, sam):
    article = make_article()
    priya.get(change_url(article))
    sam.get(change_url(article))
    _, text = notice(writer_client("lee", first_name="Lee").get(change_url(article)))
    assert "Priya Raman has had this article open" in text and "sam has had this article open" in text
    assert "If more than one of you saves, only the first save goes through" in text


def test_leaving_the_page_removes_the_presence_but_a_late_leave_from_an_old_page_does_not(priya, sam):
    article = make_article()
    old_view = view_of(priya, article)
    new_view = view_of(priya, article)  # reloaded: the old page says "left" after the new one opened
    assert priya.post(heartbeat_url(article), {"view": old_view, "left": "1"}).json() == {"ok": True}
    assert "Priya" in notice(sam.get(change_url(article)))[1]
    priya.post(heartbeat_url(article), {"view": new_view, "left": "1"})
    assert not EditingPresence.objects.filter(user__username="priya").exists()
    assert notice(sam.get(change_url(article)))[0] is False


def test_names_are_html_escaped(sam):
    article = make_article()
    writer_client("mallory", first_name="<script>alert(1)</script>").get(change_url(article))
    response = sam.get(change_url(article))
    assert b"<script>alert(1)</script>" not in response.content
    assert "<script>alert(1)</script> has had this article open" in notice(response)[1]


# Who may send a heartbeat ------------------------------------------------------------------------------


def test_anonymous_visitors_and_non_staff_cannot_send_a_heartbeat(client):
    article = make_article()
    response = client.post(heartbeat_url(article), {"view": "ab12"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    client.force_login(User.objects.create_user("reader", password="a-long-test-passphrase"))
    response = client.post(heartbeat_url(article), {"view": "ab12"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    assert not EditingPresence.objects.exists()


def test_staff_without_permission_on_the_record_are_refused(client):
    article = make_article()
    client.force_login(User.objects.create_user("clerk", password="a-long-test-passphrase", is_staff=True))
    response = client.post(heartbeat_url(article), {"view": "ab12"})
    assert response.status_code == 403 and response.json()["ok"] is False
    assert not EditingPresence.objects.exists()


def test_the_heartbeat_needs_post_and_the_csrf_token():
    article = make_article()
    user = User.objects.create_user("priya", password="a-long-test-passphrase", is_staff=True)
    user.groups.add(Group.objects.get(name=WRITERS_GROUP))
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(heartbeat_url(article), {"view": "ab12"}).status_code == 403
    assert client.get(heartbeat_url(article)).status_code == 405
    assert not EditingPresence.objects.exists()


def test_a_heartbeat_for_a_record_that_does_not_exist_is_refused(priya):
    article = make_article()
    missing = reverse("admin:articles_article_presence", args=[article.pk + 1000])
    assert priya.post(missing, {"view": "ab12"}).status_code == 404
    assert priya.post(reverse("admin:articles_article_presence", args=["not-a-number"])).status_code == 404
    assert not EditingPresence.objects.exists()


def test_a_reviewer_who_can_only_look_is_told_but_not_recorded(priya):
    article = make_article()
    priya.get(change_url(article))
    reviewer = User.objects.create_user("dr-who", password="a-long-test-passphrase", is_staff=True)
    reviewer.groups.add(Group.objects.get(name=REVIEWERS_GROUP))
    client = Client()
    client.force_login(reviewer)
    assert "Priya Raman has had this article open" in notice(client.get(change_url(article)))[1]
    assert "Priya Raman" in client.post(heartbeat_url(article), {"view": "ab12"}).json()["html"]
    assert list(EditingPresence.objects.values_list("user__username", flat=True)) == ["priya"]


def test_browser_times_are_read_safely():
    now = timezone.now()
    assert presence.browser_time("not a number", now) is None
    assert presence.browser_time(None, now) is None
    assert presence.browser_time("9" * 30, now) is None
    assert presence.browser_time(str(int(now.timestamp() * 1000) + 3_600_000), now) == now  # a fast clock


# Cost --------------------------------------------------------------------------------------------------


def test_opening_a_change_form_costs_at_most_two_queries_for_presence(priya, sam):
    article = make_article()
    priya.get(change_url(article))
    sam.get(change_url(article))  # the content type is cached, as in a running server
    with CaptureQueriesContext(connection) as queries:
        priya.get(change_url(article))
    touching = [q["sql"] for q in queries.captured_queries if "editorial_editingpresence" in q["sql"]]
    assert len(touching) <= 2, touching
