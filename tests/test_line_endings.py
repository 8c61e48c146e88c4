"""Whatever line endings a browser sends, the admin stores `\\n`, so history and `git diff` show only real edits."""

import pytest
from django.contrib import admin
from django.urls import reverse

from carnk_site.about.models import TrustPage
from carnk_site.articles.models import Article
from carnk_site.content_files.exporter import export_content
from carnk_site.content_files.importer import import_content
from carnk_site.editorial.admin import base
from carnk_site.evidence.models import Citation, Source

from .conftest import (
    SOURCE_TEXT,
    article_form,
    make_article,
    make_claim,
    make_source,
    make_term,
    publish_change,
)

pytestmark = pytest.mark.django_db


def crlf(text):
    """Return text as a browser submits a textarea: every line break as CR LF."""
    return text.replace("\n", "\r\n")


def assert_plain_line_endings(obj, *fields):
    obj.refresh_from_db()
    for name in fields:
        assert "\r" not in getattr(obj, name), name


def test_an_article_saved_with_crlf_and_lone_cr_is_stored_with_lf(admin_client):
    article = make_article(status="draft")
    body = "First paragraph.\r\n\r\nSecond paragraph,\ron two lines.\r\n"
    points = "It is early.\r\nIt is experimental.\rTrials are small."
    response = admin_client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        article_form(article, body=body, key_points=points, change_note="Two\r\nlines"),
    )
    assert response.status_code == 302
    assert_plain_line_endings(article, "body", "key_points", "summary", "title")
    assert article.body == "First paragraph.\n\nSecond paragraph,\non two lines."
    assert article.key_points == "It is early.\nIt is experimental.\nTrials are small."


def test_a_claim_and_its_citation_quote_are_stored_with_lf(admin_client):
    source = Source.objects.create(
        slug="two-lines",
        short_name="Two lines",
        kind="Medical news article",
        teller="news-report",
        interests="Sells nothing.",
        text="NK cells were given to 11 patients.\nEight of the 11 patients responded.",
    )
    claim = make_claim(source=source, quote="Eight of the 11 patients responded")
    citation = claim.citations.get()
    data = {
        "slug": claim.slug,
        "statement": "In a small trial,\r\n8 of 11 people responded.",
        "evidence": claim.evidence,
        "participants": claim.participants,
        "seen_edit_token": claim.edit_token,
        "citations-TOTAL_FORMS": 1,
        "citations-INITIAL_FORMS": 1,
        "citations-MIN_NUM_FORMS": 1,
        "citations-MAX_NUM_FORMS": 1000,
        "citations-0-id": citation.pk,
        "citations-0-claim": claim.pk,
        "citations-0-source": source.pk,
        "citations-0-quote": "11 patients.\r\nEight of the 11",
        "citations-0-position": 1,
    }
    response = admin_client.post(reverse("admin:evidence_claim_change", args=[claim.pk]), data)
    assert response.status_code == 302, response.content.decode()
    assert_plain_line_endings(claim, "statement")
    assert claim.statement == "In a small trial,\n8 of 11 people responded."
    assert Citation.objects.get(pk=citation.pk).quote == "11 patients.\nEight of the 11"


def test_a_term_and_a_source_are_stored_with_lf(admin_client):
    term = make_term()
    response = admin_client.post(
        reverse("admin:glossary_term_change", args=[term.pk]),
        {
            "slug": term.slug,
            "term": term.term,
            "aliases": "NK cell\r\nNK cells",
            "definition": "A white blood cell\r\nthat kills sick cells.",
            "explanation": "It is part of the immune system.\r\n\r\nIt finds sick cells.\r\n",
            "seen_edit_token": term.edit_token,
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert_plain_line_endings(term, "aliases", "definition", "explanation")
    assert term.explanation == "It is part of the immune system.\n\nIt finds sick cells."

    source = make_source()
    data = {
        "slug": source.slug,
        "short_name": source.short_name,
        "kind": source.kind,
        "teller": source.teller,
        "interests": source.interests,
        "title": "",
        "publisher": "",
        "author": "",
        "date": "",
        "text": crlf(SOURCE_TEXT + "\nA second line.\n"),
        "seen_edit_token": source.edit_token,
    }
    response = admin_client.post(reverse("admin:evidence_source_change", args=[source.pk]), data)
    assert response.status_code == 302, response.content.decode()
    assert_plain_line_endings(source, "text")
    assert source.text == SOURCE_TEXT + "\nA second line."


def test_a_page_about_the_site_is_stored_with_lf(admin_client):
    page = TrustPage.objects.get(slug="about")
    data = {
        "title": page.title,
        "slug": page.slug,
        "summary": page.summary,
        "body": crlf(page.body),
        "seen_edit_token": page.edit_token,
    }
    response = admin_client.post(reverse("admin:trust_trustpage_change", args=[page.pk]), data)
    assert response.status_code == 302, response.content.decode()
    assert_plain_line_endings(page, "body")


def test_a_one_sentence_edit_sent_with_crlf_exports_as_a_one_line_change(admin_client, small_content):
    import_content(small_content)
    path = small_content / "articles/first.md"
    original = path.read_bytes()
    article = Article.objects.get(slug="first")
    body = article.body.replace("How long it lasts.", "How long the effect lasts.")
    publish_change(admin_client, article, body=crlf(body), key_points=crlf(article.key_points))
    export_content(small_content)
    exported = path.read_bytes()
    assert exported == original.replace(b"How long it lasts.", b"How long the effect lasts.")


def test_every_admin_form_of_our_records_stores_lf():
    """A new admin form for our records starts from the shared base, so it gets the same line endings."""
    no_text_written = {"Approval", "Feedback"}  # read-only records; feedback's only field is its status
    ours = [a for a in admin.site._registry.values() if a.model.__module__.startswith("carnk_site.")]
    assert len(ours) > 5
    for model_admin in ours:
        if model_admin.model.__name__ in no_text_written:
            continue
        forms = [model_admin.form, *(inline.form for inline in model_admin.inlines)]
        for form in forms:
            assert issubclass(form, base.PlainLineEndingsForm), f"{model_admin}: {form.__name__}"


def test_stored_crlf_still_has_the_same_fingerprint_for_sign_off():
    from carnk_site.review.signoff import content_hash

    article = make_article(status="draft", body="One.\n\nTwo.")
    values = {"title": article.title, "summary": article.summary, "key_points": "", "body": "One.\r\n\r\nTwo."}
    assert content_hash(values) == content_hash({**values, "body": "One.\n\nTwo."})
