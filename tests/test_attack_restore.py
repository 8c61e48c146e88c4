"""A restore is an edit like any other: the same lock and "changed meanwhile" check, the same refresh."""

import threading

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from carnk_site.articles.models import Article
from carnk_site.evidence.models import Claim
from carnk_site.glossary.models import Term
from carnk_site.publishing import background
from carnk_site.publishing.models import RefreshJob

from .conftest import make_article, make_claim, make_term

pytestmark = pytest.mark.django_db
LINK = 'data-term="natural-killer-cell"'


def form_data(page):
    """Return what a browser would send from the admin change form on this page, unchanged."""
    form = BeautifulSoup(page.content, "html.parser").find("form", id=lambda i: i and i.endswith("_form"))
    data = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name, kind = field.get("name"), field.get("type", "")
        if (
            not name
            or kind in ("submit", "button", "file")
            or (kind in ("checkbox", "radio") and not field.has_attr("checked"))
        ):
            continue
        if field.name == "textarea":
            data[name] = field.get_text().removeprefix("\n")
        elif field.name == "select":
            chosen = field.find("option", selected=True)
            data[name] = chosen["value"] if chosen else ""
        else:
            data[name] = field.get("value", "on" if kind == "checkbox" else "")
    return data


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def revision_url(obj, version):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_revision", args=[obj.pk, version.pk])


def versions(obj):
    return list(Version.objects.get_for_object(obj).order_by("pk"))


@pytest.fixture
def editor(db):
    user = User.objects.create_superuser("editor", password="a-long-test-passphrase")
    client = Client()
    client.force_login(user)
    return client


def renamed_term(editor, capture):
    """A term in three articles, renamed in the admin: its history holds the old name, then the new."""
    with capture(execute=True):
        term = make_term(aliases="")
        for n in range(3):
            make_article(f"article-{n}", body="A natural killer cell is a white blood cell.")
    for name in ("Natural killer cell", "NK lymphocyte"):
        with capture(execute=True):
            data = form_data(editor.get(change_url(term))) | {"term": name, "change_note": f"name {name}"}
            assert editor.post(change_url(term), data).status_code == 302
    assert not any(LINK in a.body_html for a in Article.objects.all())  # "natural killer cell" is no name now
    return term


def test_restoring_a_terms_earlier_name_re_renders_the_articles_that_use_it(editor, django_capture_on_commit_callbacks):
    term = renamed_term(editor, django_capture_on_commit_callbacks)
    old_name = next(v for v in versions(term) if v.field_dict["term"] == "Natural killer cell")
    with django_capture_on_commit_callbacks(execute=True):
        page = editor.get(revision_url(term, old_name))
        assert editor.post(revision_url(term, old_name), form_data(page)).status_code == 302
    assert Term.objects.get().term == "Natural killer cell"
    for article in Article.objects.all():
        assert LINK in article.body_html, article.slug
    assert set(Term.objects.get().articles.values_list("slug", flat=True)) == {f"article-{n}" for n in range(3)}


def test_restoring_a_rename_over_the_in_request_limit_queues_the_refresh_job(
    editor, settings, monkeypatch, django_capture_on_commit_callbacks
):
    term = renamed_term(editor, django_capture_on_commit_callbacks)
    settings.PUBLISHING_IN_REQUEST_MAX_ARTICLES = 1
    monkeypatch.setattr(background, "start", lambda: None)  # leave the job written down, to look at it
    old_name = next(v for v in versions(term) if v.field_dict["term"] == "Natural killer cell")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        page = editor.get(revision_url(term, old_name))
        assert editor.post(revision_url(term, old_name), form_data(page)).status_code == 302
    assert callbacks
    for callback in callbacks:
        callback()
    assert RefreshJob.objects.get().articles == sorted(Article.objects.values_list("pk", flat=True))


def test_restoring_a_claims_earlier_evidence_level_changes_its_label_on_the_articles(
    editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        claim = make_claim(evidence="phase-1")
        make_article(body="[8 of 11 people](claim:test-claim).")
    for level in ("phase-1", "phase-3"):
        with django_capture_on_commit_callbacks(execute=True):
            data = form_data(editor.get(change_url(claim))) | {"evidence": level, "change_note": level}
            assert editor.post(change_url(claim), data).status_code == 302
    phase_3_html = Article.objects.get().body_html
    first = versions(claim)[0]
    assert first.field_dict["evidence"] == "phase-1"
    with django_capture_on_commit_callbacks(execute=True):
        page = editor.get(revision_url(claim, first))
        assert editor.post(revision_url(claim, first), form_data(page)).status_code == 302
    assert Claim.objects.get().evidence == "phase-1"
    assert Article.objects.get().body_html != phase_3_html  # the label readers see follows the restore


# Concurrent writers from one opened version: exactly one succeeds -------------------------------------


def race(first, second, pause_in):
    """Run `first` (a restore) until it reaches `pause_in`, then `second` (a save), then both to the end.

    The pause lets the save run while the restore is half way; with the restore holding the row's lock
    the save waits for it (at most 2 s here), without it the save commits inside the restore's window.
    """
    reached, results = threading.Event(), {}
    real = getattr(*pause_in)

    def pausing(*args, **kwargs):
        reached.set()
        done = threading.Event()
        saver = threading.Thread(target=lambda: (results.__setitem__("second", second()), done.set()))
        saver.start()
        done.wait(timeout=2)
        results["saver"] = saver
        return real(*args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(*pause_in, pausing)
        try:
            results["first"] = first()
        finally:
            connection.close()
    results["saver"].join(timeout=20)
    return results["first"], results["second"]


def in_thread(call):
    def run():
        try:
            return call()
        finally:
            connection.close()

    return run


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs row locks and a second connection")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["claim", "draft article", "published article"])
def test_a_save_and_a_restore_from_one_opened_version_never_both_succeed(kind):
    User.objects.create_superuser("editor", password="a-long-test-passphrase")
    User.objects.create_superuser("restorer", password="a-long-test-passphrase")
    editor, restorer = Client(), Client()
    editor.force_login(User.objects.get(username="editor"))
    restorer.force_login(User.objects.get(username="restorer"))
    claim = make_claim()
    if kind == "claim":
        record, field = claim, "statement"
    else:
        record, field = make_article(status="draft", body="[8 of 11](claim:test-claim)."), "summary"
    data = form_data(editor.get(change_url(record))) | {field: "First saved text.", "change_note": "first"}
    assert editor.post(change_url(record), data).status_code == 302
    data = form_data(editor.get(change_url(record))) | {field: "Second saved text.", "change_note": "second"}
    assert editor.post(change_url(record), data).status_code == 302
    first_version = versions(type(record).objects.get(pk=record.pk))[0]
    if kind == "published article":  # published since: both the save and the restore draft a change
        Article.objects.filter(pk=record.pk).update(status="published")

    opened_edit = form_data(editor.get(change_url(record))) | {field: "The editor's new text."}
    opened_restore = form_data(restorer.get(revision_url(record, first_version)))

    save = in_thread(lambda: editor.post(change_url(record), opened_edit).status_code)
    restore = in_thread(lambda: restorer.post(revision_url(record, first_version), opened_restore).status_code)
    restored, saved = race(restore, save, (Version, "revert"))

    assert sorted([restored, saved]) == [200, 302], (restored, saved)  # one saved, one told "changed meanwhile"
    if kind == "published article":
        from carnk_site.review.models import Revision

        text = Revision.objects.open().get(article=record).text[field]
    else:
        text = getattr(type(record).objects.get(pk=record.pk), field)
    kept = "The editor's new text." if saved == 302 else first_version.field_dict.get(field, text)
    assert text == kept  # what the winner was told was saved is what the database holds
