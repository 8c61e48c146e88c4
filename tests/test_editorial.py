"""Editors' workflow: preview, publishing, history and restore, roles, sync with files, concurrent saves."""

import io
import os

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.urls import reverse
from reversion.models import Version

from carnk_site.articles.models import Article
from carnk_site.content_files.exporter import export_content
from carnk_site.content_files.importer import import_content
from carnk_site.evidence.models import Claim, Source
from carnk_site.glossary.models import Term
from carnk_site.review.models import Revision

from .conftest import (
    PUBLISHABLE_BODY,
    PUBLISHABLE_POINTS,
    approve,
    article_form,
    make_article,
    make_claim,
    make_source,
    make_term,
    publish_change,
    write_content,
)

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


# Preview -------------------------------------------------------------------------------------------


def test_preview_shows_unsaved_changes_as_readers_would_and_keeps_nothing(admin_client):
    make_claim()
    article = make_article(status="draft", body="Old words.")
    versions_before = Version.objects.count()
    form = article_form(article, body=PUBLISHABLE_BODY + "\nBrand new sentence.", _preview="1")
    response = admin_client.post(change_url(article), form)
    page = BeautifulSoup(response.content, "html.parser")
    assert response.status_code == 200
    assert "Preview — not published" in page.get_text()
    assert "Brand new sentence." in page.get_text()
    label = page.select_one('span[data-claim="test-claim"] .evidence-label').get_text()
    assert label == "Phase I · 11 people · told by a news report"
    assert "no-store" in response["Cache-Control"] and "noindex" in response["X-Robots-Tag"]
    article.refresh_from_db()
    assert article.body == "Old words." and article.status == "draft"
    assert Version.objects.count() == versions_before
    assert admin_client.get("/articles/test-article/").status_code == 404


def test_preview_with_a_form_error_shows_the_error_and_saves_nothing(admin_client):
    article = make_article(status="draft")
    response = admin_client.post(change_url(article), article_form(article, body="[x](claim:missing)", _preview="1"))
    assert "claim &#x27;missing&#x27;" in response.content.decode()
    article.refresh_from_db()
    assert article.body == "Plain text."


@pytest.mark.parametrize("kind", ["claim", "term", "source"])
def test_claim_term_and_source_have_previews(admin_client, kind):
    claim = make_claim()
    make_article(body="[8 of 11](claim:test-claim) NK cell")
    term = make_term()
    source = claim.citations.first().source
    if kind == "claim":
        url = reverse("admin:evidence_claim_change", args=[claim.pk])
        data = {
            "slug": claim.slug,
            "statement": "A changed statement.",
            "evidence": "phase-1-2",
            "participants": 11,
            "seen_edit_token": claim.edit_token,
            "citations-TOTAL_FORMS": 1,
            "citations-INITIAL_FORMS": 1,
            "citations-MIN_NUM_FORMS": 1,
            "citations-MAX_NUM_FORMS": 1000,
            "citations-0-id": claim.citations.first().pk,
            "citations-0-claim": claim.pk,
            "citations-0-source": source.pk,
            "citations-0-quote": "Eight of the 11 patients responded",
            "citations-0-position": 1,
        }
        expected = "Phase I/II · 11 people"
    elif kind == "term":
        url = reverse("admin:glossary_term_change", args=[term.pk])
        data = {
            "slug": term.slug,
            "term": term.term,
            "aliases": term.aliases,
            "definition": "A new plain definition.",
            "explanation": "",
            "seen_edit_token": term.edit_token,
        }
        expected = "A new plain definition."
    else:
        url = reverse("admin:evidence_source_change", args=[source.pk])
        data = {
            "slug": source.slug,
            "short_name": "Renamed source",
            "kind": source.kind,
            "teller": source.teller,
            "interests": source.interests,
            "title": "",
            "publisher": "",
            "author": "",
            "date": "",
            "text": source.text,
            "seen_edit_token": source.edit_token,
        }
        expected = "Renamed source"
    response = admin_client.post(url, {**data, "_preview": "1"})
    text = BeautifulSoup(response.content, "html.parser").get_text()
    assert "Preview — not published" in text and expected in text
    assert not Claim.objects.filter(evidence="phase-1-2").exists()
    assert not Term.objects.filter(definition="A new plain definition.").exists()
    assert not Source.objects.filter(short_name="Renamed source").exists()


# Publishing ------------------------------------------------------------------------------------------


def test_draft_to_review_to_published(admin_client, client):
    make_claim()
    article = make_article(status="draft", body=PUBLISHABLE_BODY, key_points=PUBLISHABLE_POINTS)
    approve(article)
    for status in ("review", "published"):
        article.refresh_from_db()
        assert admin_client.post(change_url(article), article_form(article, status=status)).status_code == 302
    assert "New words" in client.get("/articles/test-article/").content.decode()


def test_publishing_is_refused_until_the_checks_pass_but_a_draft_can_be_saved(admin_client):
    article = make_article(status="draft")
    response = admin_client.post(change_url(article), article_form(article, status="published", body="A proven cure."))
    assert response.status_code == 200
    assert "Fix these before publishing" in response.content.decode() and "proven" in response.content.decode()
    assert Article.objects.get(pk=article.pk).status == "draft"
    assert admin_client.post(change_url(article), article_form(article, body="A proven cure.")).status_code == 302


# History and restore ---------------------------------------------------------------------------------


def test_saving_keeps_who_when_and_the_change_note_and_readers_see_the_note(admin_client, client):
    make_claim()
    article = make_article(body=PUBLISHABLE_BODY, key_points=PUBLISHABLE_POINTS)
    publish_change(
        admin_client,
        article,
        body=PUBLISHABLE_BODY + "\nMore.",
        change_note="Added a sentence on trial size",
        show_to_readers="on",
    )
    assert list(Revision.objects.get().authors.values_list("username", flat=True)) == ["admin"]
    version = Version.objects.get_for_object(article).select_related("revision__user").first()
    assert version.revision.user.username == "clinical-reviewer"  # who published it, by approving
    assert version.revision.comment == "Added a sentence on trial size"
    response = client.get(article.get_absolute_url())
    assert [note for _, note in response.context["changes"]] == ["Added a sentence on trial size"]
    changes = BeautifulSoup(response.content, "html.parser").select_one(".page-changes")
    assert "Added a sentence on trial size" in changes.get_text() and changes.time["datetime"]


def test_compare_two_versions_and_restore_an_earlier_one(admin_client):
    make_claim()
    article = make_article(status="draft", body=PUBLISHABLE_BODY, key_points=PUBLISHABLE_POINTS)
    for body in ("First edit body.", "Second edit body."):
        article.refresh_from_db()
        admin_client.post(change_url(article), article_form(article, status="draft", body=body, change_note=body))
    first, second = sorted(Version.objects.get_for_object(article), key=lambda v: v.pk)
    compare = admin_client.get(
        reverse("admin:articles_article_compare", args=[article.pk]),
        {"version_id1": first.pk, "version_id2": second.pk},
    )
    assert compare.status_code == 200
    assert "First edit body" in compare.content.decode() and "Second edit body" in compare.content.decode()

    restore_url = reverse("admin:articles_article_revision", args=[article.pk, first.pk])
    form_page = admin_client.get(restore_url)
    assert "First edit body." in form_page.content.decode()
    shown_token = BeautifulSoup(form_page.content, "html.parser").find("input", {"name": "seen_edit_token"})["value"]
    article.refresh_from_db()
    restored = admin_client.post(
        restore_url, article_form(article, status="draft", body="First edit body.", seen_edit_token=shown_token)
    )
    assert restored.status_code == 302
    article.refresh_from_db()
    assert article.body == "First edit body." and "First edit body." in article.body_html
    assert Version.objects.get_for_object(article).count() == 3


SECOND_ARTICLE = """\
---
id: second
title: Second article
summary: As the files have it.
order: 2
status: draft
last_reviewed: 2026-11-21
next_review_due: 2027-05-21
key_points:
- One.
---
Plain words about an NK cell.
"""


def imported_version(obj):
    """Return the version `loadcontent` wrote for obj (its oldest)."""
    return Version.objects.get_for_object(obj).order_by("pk").first()


def test_restoring_one_imported_record_leaves_the_rest_of_that_import_alone(admin_client, tmp_path):
    """One load writes every record into one history entry; restoring one of them must not undo the others."""
    import_content(write_content(tmp_path, {"articles/second.md": SECOND_ARTICLE}))
    term = Term.objects.get(slug="nk-cell")
    term_change = reverse("admin:glossary_term_change", args=[term.pk])
    term_form = {"slug": term.slug, "term": term.term, "aliases": term.aliases, "explanation": term.explanation}
    term_form |= {"definition": "An editor's better definition.", "seen_edit_token": term.edit_token}
    assert admin_client.post(term_change, term_form).status_code == 302
    article = Article.objects.get(slug="second")
    article.summary = "Changed since."
    article.save()

    version = imported_version(article)
    restore_url = reverse("admin:articles_article_revision", args=[article.pk, version.pk])
    form_page = admin_client.get(restore_url)
    assert "Only this article changes" in form_page.content.decode()
    shown_token = BeautifulSoup(form_page.content, "html.parser").find("input", {"name": "seen_edit_token"})["value"]
    restored = admin_client.post(restore_url, article_form(Article(**version.field_dict), seen_edit_token=shown_token))

    assert restored.status_code == 302
    assert Article.objects.get(slug="second").summary == "As the files have it."
    assert Term.objects.get(slug="nk-cell").definition == "An editor's better definition."
    assert Article.objects.get(slug="first").summary == "A short test article."


def test_a_restore_after_someone_else_saved_is_refused_and_their_text_kept(admin_client, small_content):
    import_content(small_content)
    article = Article.objects.get()
    version = imported_version(article)
    restore_url = reverse("admin:articles_article_revision", args=[article.pk, version.pk])
    form_page = admin_client.get(restore_url)
    shown_token = BeautifulSoup(form_page.content, "html.parser").find("input", {"name": "seen_edit_token"})["value"]
    article.summary = "Saved by someone else meanwhile."
    article.save()

    response = admin_client.post(restore_url, article_form(Article(**version.field_dict), seen_edit_token=shown_token))

    assert response.status_code == 200 and "after you opened it" in response.content.decode()
    assert Article.objects.get().summary == "Saved by someone else meanwhile."


def test_a_version_of_another_kind_of_record_cannot_be_restored_through_an_article(admin_client, small_content):
    import_content(small_content)
    claim = Claim.objects.get()
    # Reversion matches a version by object id alone: an article with the claim's id gets its version.
    article = Article.objects.filter(pk=claim.pk).first() or make_article(slug="same-id", pk=claim.pk)
    url = reverse("admin:articles_article_revision", args=[article.pk, imported_version(claim).pk])
    assert admin_client.get(url).status_code == 404
    assert admin_client.post(url, article_form(article)).status_code == 404


def test_restoring_a_claim_puts_back_its_citations_and_the_label_on_its_pages(
    small_content, django_capture_on_commit_callbacks
):
    from carnk_site.editorial.restore import restore

    import_content(small_content)
    claim = Claim.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        seller = make_source(slug="seller", short_name="Seller", teller="seller", commercial=True)
        claim.citations.create(source=seller, quote="Eight of the 11 patients responded", position=2)
    assert "told by a news report and a seller" in Article.objects.get(slug="first").body_html

    with django_capture_on_commit_callbacks(execute=True):
        restore(imported_version(claim))

    assert list(claim.citations.values_list("source__slug", flat=True)) == ["news"]
    assert "a seller" not in Article.objects.get(slug="first").body_html
    assert Source.objects.filter(slug="seller").exists() and Article.objects.count() == 1


def test_restoring_a_version_that_cites_a_deleted_source_is_refused_with_a_message(
    admin_client, small_content, django_capture_on_commit_callbacks
):
    import_content(small_content)
    claim = Claim.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        citation = claim.citations.get()
        citation.source = make_source(slug="other", short_name="Other")
        citation.save()
    Source.objects.get(slug="news").delete()  # nothing uses it any more

    restore_url = reverse("admin:evidence_claim_revision", args=[claim.pk, imported_version(claim).pk])
    response = admin_client.get(restore_url, follow=True)

    assert (
        "cannot be restored" in response.content.decode()
        and "source that has been deleted" in response.content.decode()
    )
    assert list(claim.citations.values_list("source__slug", flat=True)) == ["other"]


def test_restoring_an_old_id_that_articles_no_longer_use_is_refused_with_a_message(admin_client, small_content):
    import_content(small_content)
    term = Term.objects.get(slug="nk-cell")
    Article.objects.get(slug="first").terms.clear()  # unlinked, so the id may change
    Term.objects.filter(pk=term.pk).update(slug="natural-killer-cell")
    term.refresh_from_db()
    Article.objects.get(slug="first").terms.add(term)  # now an article uses the new id

    restore_url = reverse("admin:glossary_term_revision", args=[term.pk, imported_version(term).pk])
    response = admin_client.get(restore_url, follow=True)

    assert "cannot change" in response.content.decode()
    assert Term.objects.get(pk=term.pk).slug == "natural-killer-cell"


# Concurrent edits -------------------------------------------------------------------------------------


def test_second_editor_is_told_the_page_changed_and_loses_nothing(admin_client):
    article = make_article(status="draft")
    opened_by_both = article_form(article)
    first = admin_client.post(change_url(article), {**opened_by_both, "body": "Editor one's words."})
    assert first.status_code == 302
    second = admin_client.post(change_url(article), {**opened_by_both, "body": "Editor two's words."})
    assert second.status_code == 200
    html = second.content.decode()
    assert "changed by admin" in html and "your changes were not saved" in html
    assert "Editor two&#x27;s words." in html
    article.refresh_from_db()
    assert article.body == "Editor one's words."


# Roles --------------------------------------------------------------------------------------------------


def test_editors_group_can_edit_content_but_not_manage_users(client):
    group = Group.objects.get(name="Writer")  # the Editors group, renamed when clinical reviewers arrived
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"change_article", "add_claim", "change_citation", "change_source", "delete_term"} <= codenames
    assert not any(c.endswith(("_user", "_group", "_permission")) for c in codenames)
    os.environ["EDITOR_PASSWORD"] = "a-long-editor-passphrase"
    try:
        call_command("createeditor", "writer", stdout=io.StringIO())
    finally:
        del os.environ["EDITOR_PASSWORD"]
    writer = User.objects.get(username="writer")
    assert writer.is_staff and not writer.is_superuser and list(writer.groups.all()) == [group]
    client.force_login(writer)
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 200
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403


# Overview ------------------------------------------------------------------------------------------------


def test_overview_lists_overdue_drafts_and_claims_whose_source_changed(admin_client):
    import datetime

    claim = make_claim()
    make_article(
        slug="old",
        title="Old article",
        next_review_due=datetime.date(2020, 1, 1),
        last_reviewed=datetime.date(2019, 1, 1),
    )
    make_article(slug="wip", title="Work in progress", status="draft")
    source = claim.citations.first().source
    source.text += " A new paragraph."
    source.save()
    page = admin_client.get(reverse("admin:articles_article_overview")).content.decode()
    assert "Old article" in page and "Work in progress" in page and "test-claim" in page
    admin_client.post(
        reverse("admin:evidence_claim_changelist"), {"action": "mark_checked", "_selected_action": [claim.pk]}
    )
    assert not Claim.objects.source_changed_since_checked().exists()


# Sync between files and database --------------------------------------------------------------------------


def test_admin_edit_is_a_conflict_not_overwritten_and_force_keeps_it_in_history(small_content):
    import_content(small_content)
    article = Article.objects.get(slug="first")
    article.body += "\nAn editor's sentence."
    article.save()
    path = small_content / "articles/first.md"
    path.write_text(path.read_text().replace("First article", "Renamed in the file"))
    report = import_content(small_content)
    assert len(report.conflicts) == 1
    assert "articles/first.md (first)" in report.conflicts[0] and "differs in: title, body" in report.conflicts[0]
    article.refresh_from_db()
    assert article.title == "First article" and "An editor's sentence." in article.body

    import_content(small_content, force=True)
    article.refresh_from_db()
    assert article.title == "Renamed in the file" and "An editor's sentence." not in article.body
    kept = [v.field_dict["body"] for v in Version.objects.get_for_object(article)]
    assert any("An editor's sentence." in body for body in kept)


def test_export_writes_admin_edits_and_a_following_load_changes_nothing(small_content):
    import_content(small_content)
    claim = Claim.objects.get(slug="eight-of-eleven")
    claim.statement = "In a small early trial, 8 of 11 people responded."
    claim.save()
    export_content(small_content)
    assert (
        "statement: In a small early trial, 8 of 11 people responded."
        in (small_content / "claims/eight-of-eleven.yaml").read_text()
    )
    report = import_content(small_content)
    assert report.conflicts == []
    assert all(c["created"] == c["updated"] == 0 for c in report.counts.values())


def test_load_then_export_reproduces_the_shipped_files_byte_for_byte(tmp_path):
    import_content(settings.CONTENT_DIR)
    export_content(tmp_path)
    shipped = sorted(p.relative_to(settings.CONTENT_DIR) for p in settings.CONTENT_DIR.rglob("*.*"))
    exported = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.*"))
    assert exported == shipped
    for relative in shipped:
        assert (tmp_path / relative).read_bytes() == (settings.CONTENT_DIR / relative).read_bytes(), relative
