"""Approvals made before evidence fingerprints were kept are settled from the history, never left "Reviewed"."""

import datetime
import importlib

import pytest
import reversion
from bs4 import BeautifulSoup
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.operations import RunPython
from reversion.models import Revision as HistoryEntry
from reversion.models import Version

from carnk_site.evidence.models import Citation, Claim, Source
from carnk_site.review import signoff
from carnk_site.review.models import Approval, SignOff

from .conftest import clinical_reviewer, make_article, make_claim

pytestmark = pytest.mark.django_db

NAME = "0004_backfill_evidence_fingerprints"
migration = importlib.import_module(f"carnk_site.review.migrations.{NAME}")
BODY = "[8 of 11 people responded](claim:test-claim).\n\nA lot.\n"
SAVED = datetime.datetime(2026, 11, 1, 9, 0, tzinfo=datetime.UTC)
APPROVED = datetime.datetime(2026, 11, 10, 9, 0, tzinfo=datetime.UTC)
CHANGED = datetime.datetime(2026, 11, 20, 9, 0, tzinfo=datetime.UTC)


def run_backfill():
    """Run the migration's function with the models as they are in the migration state."""
    apps = MigrationExecutor(connection).loader.project_state(("review", NAME), at_end=True).apps
    migration.backfill(apps, None)


def saved_in_history(record, when, **values):
    """Save the record (with what it follows) as the admin does, in a history entry dated `when`."""
    with reversion.create_revision():
        for name, value in values.items():
            setattr(record, name, value)
        record.save()
    HistoryEntry.objects.filter(pk=HistoryEntry.objects.latest("pk").pk).update(date_created=when)


@pytest.fixture
def old_approval(django_capture_on_commit_callbacks):
    """An article citing a claim kept in the history, approved on 10 November before fingerprints were kept."""
    with django_capture_on_commit_callbacks(execute=True):
        claim = make_claim()
        saved_in_history(claim, SAVED)
        saved_in_history(Source.objects.get(), SAVED)
        article = make_article(body=BODY)
        approval = signoff.approve(article, clinical_reviewer())
    Approval.objects.filter(pk=approval.pk).update(evidence_hash="", created=APPROVED)
    return article


def state(article):
    row = SignOff.objects.select_related("approval").get(article=article)
    return row.approval.evidence_hash, row.evidence_changed_at


def signoff_line(client, article):
    page = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    return " ".join(page.select_one(".signoff").get_text().split())


def test_without_the_backfill_a_change_after_the_approval_goes_unnoticed(
    old_approval, client, django_capture_on_commit_callbacks
):
    """The failure the migration fixes: an empty fingerprint reads as "never out of date"."""
    with django_capture_on_commit_callbacks(execute=True):
        saved_in_history(Claim.objects.get(), CHANGED, evidence="approved")
    assert state(old_approval) == ("", None)
    assert "before its evidence changed" not in signoff_line(client, old_approval)


def test_an_unchanged_history_gets_the_real_fingerprint(old_approval, client):
    run_backfill()
    assert state(old_approval) == (signoff.evidence_hash(old_approval), None)
    assert signoff.current_approval(old_approval) is not None
    assert "before its evidence changed" not in signoff_line(client, old_approval)


def test_a_change_readers_do_not_see_is_not_a_change(old_approval):
    saved_in_history(Source.objects.get(), CHANGED, interests="Sells nothing at all.")
    saved_in_history(Claim.objects.get(), CHANGED)  # a save that changed nothing readers see (a new edit token)
    run_backfill()
    assert state(old_approval) == (signoff.evidence_hash(old_approval), None)


@pytest.mark.parametrize(
    "what",
    ["claim level", "claim statement", "claim group size", "source teller", "citation quote", "citation added"],
)
def test_a_change_after_the_approval_marks_it_out_of_date_from_that_day(
    what, old_approval, client, django_capture_on_commit_callbacks
):
    claim, source = Claim.objects.get(), Source.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        if what == "claim level":
            saved_in_history(claim, CHANGED, evidence="approved")
        elif what == "claim statement":
            saved_in_history(claim, CHANGED, statement="In a small trial, 9 of 11 people responded.")
        elif what == "claim group size":
            saved_in_history(claim, CHANGED, participants=110)
        elif what == "source teller":
            saved_in_history(source, CHANGED, teller="seller")
        elif what == "citation quote":
            Citation.objects.filter(claim=claim).update(quote="NK cells were given to 11 patients")
            saved_in_history(claim, CHANGED)
        else:
            Citation.objects.create(claim=claim, source=source, quote="Another passage", position=2)
            saved_in_history(claim, CHANGED)
    saved_in_history(claim, CHANGED + datetime.timedelta(days=3))  # later saves do not move the date
    run_backfill()
    assert state(old_approval) == (migration.CHANGED, CHANGED)
    assert signoff.current_approval(old_approval) is None
    line = signoff_line(client, old_approval)
    assert line.startswith("Reviewed by Dr Test Reviewer") and "before its evidence changed on 20 November 2026" in line


def test_a_change_then_put_back_still_counts_from_the_change(old_approval):
    claim = Claim.objects.get()
    saved_in_history(claim, CHANGED, evidence="approved")
    saved_in_history(claim, CHANGED + datetime.timedelta(days=1), evidence="phase-1")
    run_backfill()
    assert state(old_approval) == (migration.CHANGED, CHANGED)


def test_evidence_without_history_is_out_of_date_from_the_approval(django_capture_on_commit_callbacks, client):
    with django_capture_on_commit_callbacks(execute=True):
        make_claim()  # saved outside the history: nothing can say whether it changed
        article = make_article(body=BODY)
        approval = signoff.approve(article, clinical_reviewer())
    Approval.objects.filter(pk=approval.pk).update(evidence_hash="", created=APPROVED)
    assert not Version.objects.filter(object_id=str(Claim.objects.get().pk)).exists()
    run_backfill()
    assert state(article) == (migration.UNKNOWN, APPROVED)
    assert "before its evidence changed on 10 November 2026" in signoff_line(client, article)


def test_a_change_made_outside_the_history_is_out_of_date_from_the_approval(old_approval):
    Claim.objects.update(participants=500)  # e.g. a shell: no version records it
    run_backfill()
    assert state(old_approval) == (migration.UNKNOWN, APPROVED)


def test_a_kept_fingerprint_and_an_unapproved_article_are_left_alone(old_approval, django_capture_on_commit_callbacks):
    kept = signoff.evidence_hash(old_approval)
    Approval.objects.update(evidence_hash=kept)
    with django_capture_on_commit_callbacks(execute=True):
        saved_in_history(Claim.objects.get(), CHANGED, evidence="approved")
        unapproved = make_article(slug="never-approved", body=BODY)
    changed_at = SignOff.objects.get(article=old_approval).evidence_changed_at
    run_backfill()
    assert state(old_approval) == (kept, changed_at) and changed_at is not None
    assert SignOff.objects.get(article=unapproved).approval is None


def test_a_marked_approval_stays_out_of_date_until_approved_again(old_approval, django_capture_on_commit_callbacks):
    saved_in_history(Claim.objects.get(), CHANGED, participants=40)
    run_backfill()
    with django_capture_on_commit_callbacks(execute=True):  # a later evidence change keeps the first date
        saved_in_history(Claim.objects.get(), CHANGED + datetime.timedelta(days=5), participants=41)
    assert state(old_approval) == (migration.CHANGED, CHANGED)
    with django_capture_on_commit_callbacks(execute=True):
        signoff.approve(old_approval, clinical_reviewer("second-reviewer"))
    assert state(old_approval) == (signoff.evidence_hash(old_approval), None)


def test_an_article_citing_no_claim_gets_the_fingerprint_of_no_evidence(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(body="Plain text.")
        approval = signoff.approve(article, clinical_reviewer())
    Approval.objects.filter(pk=approval.pk).update(evidence_hash="")
    run_backfill()
    assert state(article) == (signoff.evidence_hash(article), None)


def test_the_migration_can_be_reversed_and_does_nothing_then():
    (operation,) = migration.Migration.operations
    assert isinstance(operation, RunPython) and operation.reversible
    assert operation.reverse_code is RunPython.noop
