"""Clinical sign-off: roles, approvals by someone other than the last editor, and what readers see."""

import io
import json

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission, User
from django.core.management import CommandError, call_command
from django.urls import reverse

from carnk_site.articles.models import Article
from carnk_site.review.models import Approval, ReviewComment, ReviewerProfile
from carnk_site.review.roles import REVIEWERS_GROUP, WRITERS_GROUP

from .conftest import PUBLISHABLE_BODY, PUBLISHABLE_POINTS, article_form, make_article, make_claim

pytestmark = pytest.mark.django_db


def make_user(username, group, profile=None):
    user = User.objects.create_user(username=username, password="a-long-test-passphrase", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    if profile:
        ReviewerProfile.objects.create(user=user, **profile)
    return user


@pytest.fixture
def writer():
    return make_user("writer", WRITERS_GROUP)


@pytest.fixture
def reviewer():
    profile = {"display_name": "Dr Test Reviewer", "credentials": "MBBS", "role": "Consultant haematologist"}
    return make_user("reviewer", REVIEWERS_GROUP, profile)


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def approve_url(article):
    return reverse("admin:articles_article_approve", args=[article.pk])


def decide(client, article, data, **kwargs):
    """Post a decision from the review page, with the token of the text that page showed."""
    page = client.get(approve_url(article))
    token = page.context["seen_token"] if page.status_code == 200 else ""
    return client.post(approve_url(article), {"seen_token": token, **data}, **kwargs)


def written_by(client, writer, status="review"):
    """Return an article the writer saved in the admin (so the history names them as its last editor)."""
    make_claim()
    article = make_article(status="draft", body=PUBLISHABLE_BODY, key_points=PUBLISHABLE_POINTS)
    client.force_login(writer)
    response = client.post(change_url(article), article_form(article, status=status, body=PUBLISHABLE_BODY + "\nNew."))
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    article.refresh_from_db()
    return article


def signoff_line(client, article):
    page = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    return " ".join(page.select_one(".signoff").get_text().split())


def json_ld(client, article):
    page = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    return json.loads(page.find("script", type="application/ld+json").string)


# Roles ---------------------------------------------------------------------------------------------


def test_writer_and_reviewer_groups_replace_editors_and_manage_no_users():
    assert not Group.objects.filter(name="Editors").exists()
    writers = set(Group.objects.get(name=WRITERS_GROUP).permissions.values_list("codename", flat=True))
    reviewers = set(Group.objects.get(name=REVIEWERS_GROUP).permissions.values_list("codename", flat=True))
    assert {"change_article", "change_trustpage", "change_feedback", "add_reviewcomment"} <= writers
    assert "add_approval" not in writers
    assert {"view_article", "add_approval", "add_reviewcomment"} <= reviewers
    assert not any(c.startswith(("change_", "delete_")) for c in reviewers)
    assert not any(c.endswith(("_user", "_group", "_permission")) for c in writers | reviewers)


REVIEWER_DETAILS = ["--display-name", "Dr Jane Smith", "--role", "Consultant haematologist"]


def createeditor(*args):
    out = io.StringIO()
    call_command("createeditor", *args, stdout=out, stderr=out)
    return out.getvalue()


@pytest.fixture
def password(monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", "a-long-editor-passphrase")


def test_createeditor_makes_writers_and_clinical_reviewers(password):
    createeditor("w")
    out = createeditor("r", "--clinical-reviewer", *REVIEWER_DETAILS, "--credentials", "MBBS, FRCPath")
    assert [g.name for g in User.objects.get(username="w").groups.all()] == [WRITERS_GROUP]
    reviewer = User.objects.get(username="r")
    assert [g.name for g in reviewer.groups.all()] == [REVIEWERS_GROUP]
    profile = reviewer.reviewer_profile
    assert (profile.display_name, profile.role, profile.credentials) == (
        "Dr Jane Smith",
        "Consultant haematologist",
        "MBBS, FRCPath",
    )
    assert "Dr Jane Smith, Consultant haematologist" in out
    assert not ReviewerProfile.objects.filter(user__username="w").exists()


def test_a_reviewer_made_by_createeditor_can_approve_at_once(password, writer, client):
    createeditor("r", "--clinical-reviewer", *REVIEWER_DETAILS)
    article = written_by(client, writer)
    client.force_login(User.objects.get(username="r"))
    decide(client, article, {"_approve": "1", "comment": ""})
    assert Approval.objects.get(article=article).reviewer.display_name == "Dr Jane Smith"


@pytest.mark.parametrize(
    "details",
    [
        [],
        ["--display-name", "Dr Jane Smith"],
        ["--role", "Consultant haematologist"],
        ["--display-name", " ", "--role", "Nurse"],
    ],
)
def test_a_clinical_reviewer_without_a_name_and_role_is_refused_and_nothing_made(password, details):
    with pytest.raises(CommandError) as refused:
        createeditor("r", "--clinical-reviewer", *details)
    assert "--display-name" in str(refused.value) or "--role" in str(refused.value)
    assert "cannot approve" in str(refused.value)
    assert not User.objects.filter(username="r").exists() and not ReviewerProfile.objects.exists()


def test_a_reviewer_name_longer_than_readers_can_be_shown_is_refused(password):
    with pytest.raises(CommandError, match="--display-name: Ensure this value has at most 120"):
        createeditor("r", "--clinical-reviewer", "--display-name", "D" * 121, "--role", "Nurse")
    assert not User.objects.filter(username="r").exists()


def test_reviewer_details_without_clinical_reviewer_are_refused(password):
    with pytest.raises(CommandError, match="--clinical-reviewer"):
        createeditor("w", *REVIEWER_DETAILS)
    assert not User.objects.filter(username="w").exists()


def test_createeditor_without_a_terminal_asks_for_editor_password(monkeypatch):
    monkeypatch.delenv("EDITOR_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    with pytest.raises(CommandError, match="EDITOR_PASSWORD"):
        createeditor("w")
    assert not User.objects.filter(username="w").exists()


def test_createeditor_asks_for_the_password_at_a_terminal(monkeypatch):
    monkeypatch.delenv("EDITOR_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt: "a-long-editor-passphrase")
    createeditor("w")
    assert User.objects.get(username="w").check_password("a-long-editor-passphrase")


# Shipped content ---------------------------------------------------------------------------------------


def test_shipped_content_is_published_but_not_yet_reviewed_and_names_nobody(site_content, client):
    assert not ReviewerProfile.objects.exists() and not Approval.objects.exists()
    for article in Article.objects.published():
        assert signoff_line(client, article).startswith("Not yet reviewed by a clinician")
        assert "reviewedBy" not in json_ld(client, article)


# Publishing needs an approval ------------------------------------------------------------------------


def test_a_draft_cannot_be_published_without_an_approval(client, writer):
    article = written_by(client, writer, status="draft")
    client.force_login(writer)
    response = client.post(change_url(article), article_form(article, status="published"))
    assert response.status_code == 200
    assert "A clinical reviewer has not approved this text yet" in response.content.decode()
    assert Article.objects.get(pk=article.pk).status == "draft"


def test_reviewer_cannot_approve_a_version_they_saved_last(client, reviewer):
    reviewer.groups.add(Group.objects.get(name=WRITERS_GROUP))  # someone can both write and review
    article = written_by(client, reviewer)
    client.force_login(reviewer)
    response = decide(client, article, {"comment": "", "_approve": "1"}, follow=True)
    assert "You saved part of this text" in response.content.decode()
    assert not Approval.objects.exists()


def test_writer_cannot_approve(client, writer):
    article = written_by(client, writer)
    client.force_login(writer)
    assert decide(client, article, {"_approve": "1"}).status_code == 403
    assert "Approve this version" not in client.get(change_url(article)).content.decode()


def test_reviewer_without_a_profile_cannot_approve(client, writer):
    article = written_by(client, writer)
    anonymous_reviewer = make_user("nameless", REVIEWERS_GROUP)
    client.force_login(anonymous_reviewer)
    response = decide(client, article, {"_approve": "1"}, follow=True)
    assert "reviewer profile" in response.content.decode()
    assert not Approval.objects.exists()


def test_approved_version_can_be_published_and_readers_see_the_sign_off(client, writer, reviewer):
    article = written_by(client, writer)
    client.force_login(reviewer)
    assert "Approve this version" in client.get(change_url(article)).content.decode()
    decide(client, article, {"comment": "Clear and fair.", "_approve": "1"})
    approval = Approval.objects.get()
    assert approval.reviewer.user == reviewer and approval.comment == "Clear and fair."
    assert approval.version is not None and approval.version.revision.user == writer
    client.force_login(writer)
    article.refresh_from_db()
    assert client.post(change_url(article), article_form(article, status="published")).status_code == 302
    client.logout()
    article.refresh_from_db()
    line = signoff_line(client, article)
    assert line.startswith(
        f"Reviewed by Dr Test Reviewer (MBBS), Consultant haematologist · {approval.created:%-d %B %Y}"
    )
    assert json_ld(client, article)["reviewedBy"] == {
        "@type": "Person",
        "name": "Dr Test Reviewer",
        "jobTitle": "Consultant haematologist",
        "honorificSuffix": "MBBS",
    }


def test_a_changed_text_loses_its_sign_off_until_approved_again(client, writer, reviewer):
    article = written_by(client, writer)
    client.force_login(reviewer)
    decide(client, article, {"_approve": "1"})
    client.logout()
    Article.objects.filter(pk=article.pk).update(status="published")
    article.refresh_from_db()
    assert signoff_line(client, article).startswith("Reviewed by Dr Test Reviewer")
    article.body += "\nOne more sentence."
    article.save()  # as loadcontent would: never blocked, but the sign-off no longer matches
    assert signoff_line(client, article).startswith("Not yet reviewed by a clinician")
    client.force_login(writer)
    response = client.post(change_url(article), article_form(article, body=article.body + "\nAnd another."))
    assert response.status_code == 302  # kept as a change waiting for review: readers keep the live text
    assert Article.objects.get(pk=article.pk).body == article.body
    assert signoff_line(client, article).startswith("Not yet reviewed by a clinician")


def test_unchanged_published_text_can_be_saved_again_without_approval(client, writer):
    make_claim()
    article = make_article(body=PUBLISHABLE_BODY, key_points=PUBLISHABLE_POINTS)
    client.force_login(writer)
    response = client.post(change_url(article), article_form(article, next_review_due="2027-06-01"))
    assert response.status_code == 302


def test_reviewer_comments_reach_the_writer_and_readers_never_see_them(client, writer, reviewer):
    article = written_by(client, writer)
    client.force_login(reviewer)
    decide(client, article, {"comment": "Please hedge the second claim.", "_comment": "1"})
    assert ReviewComment.objects.get().author == reviewer and not Approval.objects.exists()
    client.force_login(writer)
    assert "Please hedge the second claim." in client.get(change_url(article)).content.decode()
    Article.objects.filter(pk=article.pk).update(status="published")
    client.logout()
    assert "Please hedge" not in client.get(article.get_absolute_url()).content.decode()


def test_overview_lists_articles_awaiting_the_reviewer_only(client, writer, reviewer):
    article = written_by(client, writer)
    overview = reverse("admin:articles_article_overview")
    client.force_login(reviewer)
    page = BeautifulSoup(client.get(overview).content, "html.parser")
    awaiting = page.find("h2", string="Awaiting your review").find_next("ul")
    assert article.title in awaiting.get_text()
    decide(client, article, {"_approve": "1"})
    assert article.title not in client.get(overview).content.decode().split("Awaiting your review")[1].split("<h2")[0]
    client.force_login(writer)
    assert "Awaiting your review" not in client.get(overview).content.decode()


def test_signed_off_article_page_stays_within_three_queries(client, writer, reviewer, django_assert_max_num_queries):
    article = written_by(client, writer)
    client.force_login(reviewer)
    decide(client, article, {"_approve": "1"})
    client.logout()
    Article.objects.filter(pk=article.pk).update(status="published")
    with django_assert_max_num_queries(3):
        response = client.get(article.get_absolute_url())
    assert "Reviewed by Dr Test Reviewer" in response.content.decode()


def test_reviewer_permissions_come_from_the_group_only():
    assert Permission.objects.filter(group__name=REVIEWERS_GROUP, codename="delete_approval").count() == 0


def test_add_and_change_pages_render_for_an_administrator(admin_client):
    assert admin_client.get(reverse("admin:articles_article_add")).status_code == 200
    article = make_article()
    page = admin_client.get(change_url(article)).content.decode()
    assert "Clinical sign-off" in page and "No clinical reviewer has approved the saved text" in page
    assert admin_client.get(approve_url(article)).status_code == 200
    assert admin_client.get(reverse("admin:review_approval_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:review_reviewerprofile_add")).status_code == 200


def test_an_author_cannot_approve_after_someone_else_changes_only_the_order(client, reviewer, writer):
    reviewer.groups.add(Group.objects.get(name=WRITERS_GROUP))  # someone can both write and review
    article = written_by(client, reviewer)
    client.force_login(writer)
    client.post(change_url(article), article_form(article, status="review", order=9))
    client.force_login(reviewer)
    response = decide(client, article, {"comment": "", "_approve": "1"}, follow=True)
    assert "You saved part of this text" in response.content.decode()
    assert not Approval.objects.exists()
