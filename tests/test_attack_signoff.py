"""An approval binds to the evidence as readers see it: a change to cited evidence says so until re-approved."""

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from carnk_site.evidence.models import Citation, Claim, Source
from carnk_site.review import moderation, signoff
from carnk_site.review.models import Revision, SignOff

from .conftest import clinical_reviewer, make_article, make_claim

pytestmark = pytest.mark.django_db
BODY = "[8 of 11 people responded](claim:test-claim).\n\n## What we don't know yet\n\nA lot.\n"


@pytest.fixture
def approved(django_capture_on_commit_callbacks):
    """A published article citing one claim, approved by a clinical reviewer with its evidence as it is."""
    with django_capture_on_commit_callbacks(execute=True):
        make_claim()
        article = make_article(body=BODY)
        signoff.approve(article, clinical_reviewer())
    assert SignOff.objects.get(article=article).evidence_changed_at is None
    return article


def signoff_line(client, article):
    page = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    return " ".join(page.select_one(".signoff").get_text().split())


def change(capture, record, **values):
    with capture(execute=True):
        for name, value in values.items():
            setattr(record, name, value)
        record.save()


EVIDENCE_CHANGES = {
    "claim statement": (Claim, {"statement": "In a small trial, 9 of 11 people responded."}),
    "claim level": (Claim, {"evidence": "approved"}),
    "claim group size": (Claim, {"participants": 110}),
    "claim kind": (Claim, {"statement_kind": "status", "evidence": "no-study"}),
    "citation quote": (Citation, {"quote": "NK cells were given to 11 patients"}),
    "source teller": (Source, {"teller": "seller"}),
}


@pytest.mark.parametrize("what", list(EVIDENCE_CHANGES))
def test_a_change_to_cited_evidence_marks_the_approval_out_of_date(
    what, approved, client, django_capture_on_commit_callbacks
):
    assert "before its evidence changed" not in signoff_line(client, approved)
    model, values = EVIDENCE_CHANGES[what]
    change(django_capture_on_commit_callbacks, model.objects.get(), **values)
    today = timezone.localdate().strftime("%-d %B %Y")
    line = signoff_line(client, approved)
    assert line.startswith("Reviewed by Dr Test Reviewer") and f"before its evidence changed on {today}" in line
    assert SignOff.objects.get(article=approved).evidence_changed_at is not None


def test_a_change_readers_do_not_see_leaves_the_approval_current(approved, client, django_capture_on_commit_callbacks):
    change(django_capture_on_commit_callbacks, Source.objects.get(), interests="Sells nothing at all.")
    assert "before its evidence changed" not in signoff_line(client, approved)


def test_the_date_stays_the_first_change_and_a_new_approval_clears_it(
    approved, client, django_capture_on_commit_callbacks
):
    claim = Claim.objects.get()
    change(django_capture_on_commit_callbacks, claim, participants=12)
    first = SignOff.objects.get(article=approved).evidence_changed_at
    change(django_capture_on_commit_callbacks, claim, participants=13)
    assert SignOff.objects.get(article=approved).evidence_changed_at == first
    with django_capture_on_commit_callbacks(execute=True):  # "already approved" no longer: it can be approved again
        signoff.approve(approved, clinical_reviewer("second-reviewer"))
    assert SignOff.objects.get(article=approved).evidence_changed_at is None
    assert "before its evidence changed" not in signoff_line(client, approved)


def test_putting_the_evidence_back_as_approved_clears_the_note(approved, django_capture_on_commit_callbacks):
    claim = Claim.objects.get()
    change(django_capture_on_commit_callbacks, claim, evidence="phase-3")
    change(django_capture_on_commit_callbacks, claim, evidence="phase-1")
    assert SignOff.objects.get(article=approved).evidence_changed_at is None


def test_an_approval_of_evidence_other_than_the_page_showed_is_refused(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_claim()
        article = make_article(body=BODY, status="review")
    shown = signoff.evidence_hash(article)
    change(django_capture_on_commit_callbacks, Claim.objects.get(), evidence="approved")
    with pytest.raises(signoff.ApprovalRefused, match="evidence this text cites"):
        signoff.approve(article, clinical_reviewer(), seen_evidence=shown)
    assert not article.approvals.exists()
    signoff.approve(article, clinical_reviewer(), seen_evidence=signoff.evidence_hash(article))
    assert article.approvals.get().evidence_hash == signoff.evidence_hash(article)


def test_a_change_to_a_published_article_binds_its_approval_to_the_evidence_shown(
    approved, django_capture_on_commit_callbacks
):
    writer = clinical_reviewer("writer-of-the-change")
    revision = moderation.save_draft(approved, {**moderation.live_text(approved), "summary": "New summary."}, writer)
    moderation.submit(revision, writer)
    revision.refresh_from_db()
    shown = signoff.evidence_hash(revision.text)
    change(django_capture_on_commit_callbacks, Claim.objects.get(), participants=40)
    with pytest.raises(signoff.ApprovalRefused, match="evidence this text cites"):
        moderation.approve(revision, clinical_reviewer(), seen_token=revision.edit_token, seen_evidence=shown)
    assert Revision.objects.get(pk=revision.pk).state == Revision.State.SUBMITTED


def test_the_review_page_carries_the_evidence_it_shows(admin_client, approved):
    from django.urls import reverse

    page = admin_client.get(reverse("admin:articles_article_approve", args=[approved.pk]))
    field = BeautifulSoup(page.content, "html.parser").find("input", {"name": "seen_evidence"})
    assert field["value"] == signoff.evidence_hash(approved)


def json_ld(client, article):
    import json

    page = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    return json.loads(page.find("script", type="application/ld+json").string)


def test_json_ld_names_no_reviewer_once_the_evidence_changed(approved, client, django_capture_on_commit_callbacks):
    assert json_ld(client, approved)["reviewedBy"]["name"] == "Dr Test Reviewer"
    change(django_capture_on_commit_callbacks, Claim.objects.get(), evidence="approved")
    data = json_ld(client, approved)
    assert "reviewedBy" not in data
    # The editors last checked the page on 21 November 2026, before the change: nothing vouches for it now.
    assert "lastReviewed" not in data


def test_json_ld_keeps_the_editors_check_made_after_the_evidence_changed(
    approved, client, django_capture_on_commit_callbacks
):
    change(django_capture_on_commit_callbacks, Claim.objects.get(), evidence="approved")
    checked = timezone.localdate()
    change(
        django_capture_on_commit_callbacks, approved, last_reviewed=checked, next_review_due=checked.replace(year=2099)
    )
    data = json_ld(client, approved)
    assert "reviewedBy" not in data and data["lastReviewed"] == checked.isoformat()


def test_approving_a_new_article_saved_again_since_the_review_page_opened_is_refused(client):
    """Issue 27's first failure: the review page showed version 1, the writer saved version 2, Approve came after."""
    from django.contrib.auth.models import Group, User
    from django.urls import reverse

    from carnk_site.review.models import Approval
    from carnk_site.review.roles import WRITERS_GROUP

    from .conftest import PUBLISHABLE_BODY, PUBLISHABLE_POINTS, article_form

    writer = User.objects.create_user("writer", password="a-long-test-passphrase", is_staff=True)
    writer.groups.add(Group.objects.get(name=WRITERS_GROUP))
    make_claim()
    article = make_article(status="review", body=PUBLISHABLE_BODY, key_points=PUBLISHABLE_POINTS)
    approve_url = reverse("admin:articles_article_approve", args=[article.pk])
    client.force_login(clinical_reviewer())
    shown = client.get(approve_url).context["seen_token"]  # version 1 on the reviewer's screen
    client.force_login(writer)
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    saved = client.post(change_url, article_form(article, status="review", body=PUBLISHABLE_BODY + "\nVersion 2."))
    assert saved.status_code == 302, saved.content.decode()[:2000]
    client.force_login(clinical_reviewer())
    response = client.post(approve_url, {"seen_token": shown, "comment": "", "_approve": "1"}, follow=True)
    assert "saved after you opened it" in response.content.decode()
    assert not Approval.objects.exists()
