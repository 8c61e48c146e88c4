"""Internal notes stay internal: readers see only notes an editor marked for them, never the admin's log."""

import json
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from reversion.models import Version

from carnk_site.articles.models import ReaderNote
from carnk_site.review.models import Approval, ReviewerProfile
from carnk_site.review.signoff import READER_FIELDS, content_hash

from .conftest import (
    PUBLISHABLE_BODY,
    PUBLISHABLE_POINTS,
    article_form,
    make_article,
    make_claim,
    make_term,
    publish_change,
)

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
SECRET = "Internal: checked with the team, do not publish"


@pytest.fixture
def article(admin_user):
    make_claim()
    article = make_article(status="draft", body=PUBLISHABLE_BODY, key_points=PUBLISHABLE_POINTS)
    article.status = "published"
    article.save()
    return article


def everything_a_reader_gets(client, article):
    """Return the article page, the change feed, the open claims data and the article's JSON-LD, as text."""
    page = client.get(article.get_absolute_url()).content.decode()
    ld = BeautifulSoup(page, "html.parser").find("script", type="application/ld+json").string
    feed = client.get(reverse("machine_readable:changes_feed")).content.decode()
    claims = json.dumps(client.get(reverse("evidence:claims_json")).json())
    claim = json.dumps(client.get(reverse("evidence:claim_json", args=["test-claim"])).json())
    return "\n".join([page, ld, feed, claims, claim])


def approve_next(article, **changes):
    """Approve the text the article will have after `changes`, as a reviewer would have."""
    from django.contrib.auth.models import User

    reviewer = ReviewerProfile.objects.first() or ReviewerProfile.objects.create(
        user=User.objects.create_user("rev"), display_name="Dr Rev", role="Oncologist"
    )
    fields = {name: getattr(article, name) for name in READER_FIELDS} | changes
    Approval.objects.create(article=article, reviewer=reviewer, content_hash=content_hash(fields))


def save_article(admin_client, article, **changes):
    """Publish a change to the article as writers and reviewers do: saved, submitted, approved."""
    article.refresh_from_db()
    publish_change(admin_client, article, body=changes.pop("body", article.body + "\nMore."), **changes)


def test_an_unmarked_article_note_stays_in_the_history_only(admin_client, client, article):
    save_article(admin_client, article, change_note=SECRET)
    assert Version.objects.get_for_object(article).first().revision.comment == SECRET
    assert SECRET not in everything_a_reader_gets(client, article)
    assert "No changes since this page was first published." in client.get(article.get_absolute_url()).content.decode()


def test_saving_without_a_note_never_shows_the_admins_log_text(admin_client, client, article):
    save_article(admin_client, article, summary="A changed summary.")
    log_text = Version.objects.get_for_object(article).first().revision.comment
    assert log_text == "Published an approved change"  # the history's own words, never the reader's
    reader = everything_a_reader_gets(client, article)
    assert log_text not in reader and "No fields changed" not in reader and "Changed Summary" not in reader


def test_a_note_marked_for_readers_is_shown_on_the_page_and_in_the_feed(admin_client, client, article):
    save_article(admin_client, article, change_note="Added the size of the trial", show_to_readers="on")
    changes = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser").select_one(".page-changes")
    assert [li.get_text() for li in changes.find_all("li")] == [
        f"{ReaderNote.objects.get().created:%-d %B %Y}: Added the size of the trial"
    ]
    feed = ElementTree.fromstring(client.get(reverse("machine_readable:changes_feed")).content)
    entry = feed.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}summary").text == "Added the size of the trial"
    assert entry.find(f"{ATOM}title").text == article.title
    assert entry.find(f"{ATOM}link").get("href").endswith(article.get_absolute_url() + "#changes-heading")


def test_ticking_the_box_without_a_note_is_refused(admin_client, article):
    approve_next(article, body=article.body + "\nMore.")
    response = admin_client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        article_form(article, body=article.body + "\nMore.", show_to_readers="on"),
    )
    assert response.status_code == 200 and "Write the change note readers should see" in response.content.decode()


def claim_form(claim, **changes):
    citation = claim.citations.first()
    data = {
        "slug": claim.slug,
        "statement": "In a small trial, 8 of the 11 people responded.",
        "evidence": claim.evidence,
        "participants": 11,
        "seen_edit_token": claim.edit_token,
        "citations-TOTAL_FORMS": 1,
        "citations-INITIAL_FORMS": 1,
        "citations-MIN_NUM_FORMS": 1,
        "citations-MAX_NUM_FORMS": 1000,
        "citations-0-id": citation.pk,
        "citations-0-claim": claim.pk,
        "citations-0-source": citation.source_id,
        "citations-0-quote": citation.quote,
        "citations-0-position": 1,
    }
    return data | changes


def test_claim_notes_reach_citing_articles_only_when_marked(admin_client, client, article):
    claim = article.claims.get()
    url = reverse("admin:evidence_claim_change", args=[claim.pk])
    form_page = admin_client.get(url).content.decode()
    assert "Show to readers of articles citing this claim" in form_page
    assert admin_client.post(url, claim_form(claim, change_note=SECRET)).status_code == 302
    assert SECRET not in everything_a_reader_gets(client, article)
    claim.refresh_from_db()
    marked = claim_form(claim, change_note="Corrected the number of people", show_to_readers="on")
    assert admin_client.post(url, marked).status_code == 302
    reader = everything_a_reader_gets(client, article)
    assert "Corrected the number of people" in reader and SECRET not in reader
    other = make_article(slug="not-citing", body="Nothing cited here.")
    assert "Corrected the number" not in client.get(other.get_absolute_url()).content.decode()


def test_notes_on_terms_and_sources_are_never_shown(admin_client, client, article):
    term = make_term()
    url = reverse("admin:glossary_term_change", args=[term.pk])
    assert "Show this note to readers" not in admin_client.get(url).content.decode()
    data = {
        "slug": term.slug,
        "term": term.term,
        "aliases": term.aliases,
        "definition": "A white blood cell that can kill sick cells.",
        "explanation": "",
        "seen_edit_token": term.edit_token,
        "change_note": SECRET,
        "show_to_readers": "on",  # a forged box changes nothing: terms have no reader notes
    }
    assert admin_client.post(url, data).status_code == 302
    source = article.sources.get()
    source_data = {
        "slug": source.slug,
        "short_name": source.short_name,
        "kind": source.kind,
        "teller": source.teller,
        "interests": source.interests,
        "title": "",
        "publisher": "",
        "author": "",
        "date": "",
        "text": source.text,
        "seen_edit_token": source.edit_token,
        "change_note": SECRET + " (source)",
        "show_to_readers": "on",
    }
    assert admin_client.post(reverse("admin:evidence_source_change", args=[source.pk]), source_data).status_code == 302
    assert not ReaderNote.objects.exists()
    assert SECRET not in everything_a_reader_gets(client, article)


def test_content_loader_notes_are_internal(site_content, client):
    from carnk_site.articles.models import Article

    article = Article.objects.published().first()
    assert Version.objects.get_for_object(article).first().revision.comment == "Loaded from the content files"
    assert "Loaded from the content files" not in client.get(article.get_absolute_url()).content.decode()
    assert "Loaded from the content files" not in client.get(reverse("machine_readable:changes_feed")).content.decode()
