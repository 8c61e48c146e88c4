"""Readers see one review date: the clinician's approval of the text shown, else the editors' last check."""

import datetime
import json

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from carnk_site.review.models import Approval

from .conftest import approve, make_article

pytestmark = pytest.mark.django_db

APPROVED_ON = datetime.datetime(2026, 12, 5, 10, 30, tzinfo=datetime.UTC)


def approved_article(**overrides):
    """Return a published article whose text a clinician approved on 5 December 2026 (editors: 21 November)."""
    article = make_article(**overrides)
    Approval.objects.filter(pk=approve(article).pk).update(created=APPROVED_ON)
    return article


def page_at(client, url):
    return BeautifulSoup(client.get(url).content, "html.parser")


def words(element):
    return " ".join(element.get_text().split())


def dates_shown(page):
    """Return every review date in the page's text and its <time> elements (not the next review, not changes)."""
    main = page.find("main") or page
    text = words(main)
    times = [t["datetime"] for t in main.select("time") if t.find_parent(class_="page-changes") is None]
    return text, times


def json_ld(page):
    return json.loads(page.find("script", type="application/ld+json").string)


def test_approved_page_shows_the_approval_date_once_and_not_the_editors_date(client):
    article = approved_article()
    page = page_at(client, article.get_absolute_url())
    signoff = page.select(".signoff")
    assert len(signoff) == 1
    assert words(signoff[0]) == "Reviewed by Dr Test Reviewer, Test role · 5 December 2026 · How we review pages"
    assert [t["datetime"] for t in signoff[0].select("time")] == ["2026-12-05"]
    assert signoff[0].find("a")["href"].endswith("/how-we-make-this-content/#clinical-sign-off")
    text, times = dates_shown(page)
    assert text.count("5 December 2026") == 1
    assert "21 November 2026" not in text and "Last reviewed" not in text
    assert "2026-11-21" not in times and times.count("2026-12-05") == 1


def test_unapproved_page_says_so_with_the_date_the_editors_last_checked_it(client):
    article = make_article()
    page = page_at(client, article.get_absolute_url())
    signoff = page.select_one(".signoff")
    assert words(signoff) == (
        "Not yet reviewed by a clinician · last checked by our editors on 21 November 2026 · How we review pages"
    )
    assert [t["datetime"] for t in signoff.select("time")] == ["2026-11-21"]
    text, times = dates_shown(page)
    assert text.count("21 November 2026") == 1 and "Reviewed by" not in text and "Last reviewed" not in text
    assert times.count("2026-11-21") == 1


def test_an_approval_of_older_text_gives_no_date_of_its_own(client):
    article = approved_article()
    article.body += "\nA sentence nobody approved."
    article.save()
    page = page_at(client, article.get_absolute_url())
    assert words(page.select_one(".signoff")).startswith(
        "Not yet reviewed by a clinician · last checked by our editors on 21 November 2026"
    )
    assert "5 December 2026" not in words(page.find("main"))
    data = json_ld(page)
    assert data["lastReviewed"] == "2026-11-21" and "reviewedBy" not in data


def test_json_ld_states_the_date_the_page_shows(client):
    approved = json_ld(page_at(client, approved_article().get_absolute_url()))
    assert approved["lastReviewed"] == "2026-12-05" and approved["reviewedBy"]["name"] == "Dr Test Reviewer"
    unapproved = json_ld(page_at(client, make_article(slug="not-approved").get_absolute_url()))
    assert unapproved["lastReviewed"] == "2026-11-21" and "reviewedBy" not in unapproved


def test_evidence_labels_page_shows_the_same_single_date_as_its_article(client):
    article = approved_article(slug="reading-the-evidence-labels")
    line = words(page_at(client, article.get_absolute_url()).select_one(".signoff"))
    page = page_at(client, reverse("evidence:levels"))
    assert [words(p) for p in page.select(".signoff")] == [line]
    text, times = dates_shown(page)
    assert "21 November 2026" not in text and "Last reviewed" not in text
    assert times.count("2026-12-05") == 1 and "2026-11-21" not in times
