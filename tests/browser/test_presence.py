"""Soft locking in Chromium: an editor opening an article a colleague has open sees who, before typing."""

import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from playwright.sync_api import expect

from carnk_site.editorial import presence

from ..conftest import make_article
from .conftest import Pages

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-test-passphrase"


@pytest.fixture
def pages(browser, live_server):
    """Browser contexts on the live server, without loading the whole library: one article is enough."""
    opened = Pages(browser, live_server.url)
    yield opened
    opened.close()
    assert opened.errors == [], f"JavaScript errors: {opened.errors}"


def sign_in(pages, username, **names):
    """Sign in as a new editor in a browser context of their own; return its page."""
    User.objects.create_superuser(username, f"{username}@example.org", PASSWORD, **names)
    page = pages.open(reverse("admin:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**" + reverse("admin:index"))
    return page


def test_an_editor_opening_an_article_a_colleague_has_open_sees_who_before_typing(pages, monkeypatch):
    monkeypatch.setattr(presence, "BEAT_SECONDS", 1)  # the live server runs in this process
    article = make_article(title="How CAR-NK cells work")
    change = pages.base_url + reverse("admin:articles_article_change", args=[article.pk])

    priya = sign_in(pages, "priya", first_name="Priya", last_name="Raman")
    priya.goto(change)
    expect(priya.locator("#presence-notice")).to_be_hidden()  # nobody else has it open

    sam = sign_in(pages, "sam")
    sam.goto(change)
    notice = sam.locator("#presence-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text(re.compile(r"Priya Raman has had this article open since \d\d:\d\d\."))
    expect(notice).to_contain_text("If you both save, the second save is refused and kept in the form.")
    expect(sam.locator("#id_title")).to_have_value("How CAR-NK cells work")  # nobody has typed yet

    # The heartbeat brings the news both ways: Priya learns Sam came, Sam learns Priya's changes are unsaved.
    expect(priya.locator("#presence-notice")).to_contain_text("sam has had this article open since")
    expect(priya.locator("#presence-notice")).not_to_contain_text("Priya")
    priya.fill("#id_title", "How CAR-NK cells work, in short")
    expect(notice).to_contain_text(re.compile(r"and has unsaved changes here since \d\d:\d\d\."))

    priya.goto(pages.base_url + reverse("admin:articles_article_changelist"))  # left: the page says so
    expect(notice).to_be_hidden()
