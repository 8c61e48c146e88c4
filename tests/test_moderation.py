"""Published pages stay live while a change to them is drafted, reviewed, sent back or scheduled."""

import datetime
import io

import pytest
import reversion
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, User
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from carnk_site.articles.models import Article
from carnk_site.review import moderation
from carnk_site.review.models import Approval, Revision
from carnk_site.review.roles import WRITERS_GROUP

from .conftest import PUBLISHABLE_BODY, PUBLISHABLE_POINTS, article_form, clinical_reviewer, make_article, make_claim

pytestmark = pytest.mark.django_db
NEW_BODY = PUBLISHABLE_BODY + "\nA sentence the reviewer has not seen yet."


@pytest.fixture
def writer():
    user = User.objects.create_user("writer", email="writer@example.org", password="x-long-passphrase", is_staff=True)
    user.groups.add(Group.objects.get(name=WRITERS_GROUP))
    return user


@pytest.fixture
def reviewer():
    user = clinical_reviewer()
    user.email = "reviewer@example.org"
    user.save()
    return user


@pytest.fixture
def live(db):
    make_claim()
    with reversion.create_revision():  # as loadcontent publishes it, with a first version in the history
        return make_article(body=PUBLISHABLE_BODY, key_points=PUBLISHABLE_POINTS)


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def review_url(article):
    return reverse("admin:articles_article_approve", args=[article.pk])


def save_change(client, user, article, **changes):
    client.force_login(user)
    article = Article.objects.get(pk=article.pk)
    opened = client.get(change_url(article)).context["adminform"].form
    data = article_form(article, seen_edit_token=opened["seen_edit_token"].value(), **changes)
    return client.post(change_url(article), data)


def decide(client, user, article, **data):
    """Open the review page as the user and send a decision with the token of the text it showed."""
    client.force_login(user)
    page = client.get(review_url(article))
    return client.post(review_url(article), {"seen_token": page.context["seen_token"], **data})


def test_a_saved_change_keeps_the_published_page_live_and_unchanged(client, writer, live):
    response = save_change(client, writer, live, body=NEW_BODY)
    assert response.status_code == 302
    client.logout()
    page = client.get(live.get_absolute_url())
    assert page.status_code == 200 and "has not seen yet" not in page.content.decode()
    assert Article.objects.get(pk=live.pk).status == Article.Status.PUBLISHED
    revision = Revision.objects.get()
    assert revision.state == Revision.State.DRAFT and "has not seen yet" in revision.body
    assert list(revision.authors.all()) == [writer]


def test_the_editor_reopens_the_waiting_change_and_the_list_says_live_with_changes(client, writer, live):
    save_change(client, writer, live, body=NEW_BODY, _submit="1")
    form = client.get(change_url(live)).context["adminform"].form
    assert "has not seen yet" in form["body"].value() and "status" not in form.fields
    listing = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "Published · changes: Waiting for clinical review" in listing


def test_submitting_queues_it_for_reviewers_and_emails_them(client, writer, reviewer, live):
    save_change(client, writer, live, body=NEW_BODY, _submit="1")
    assert Revision.objects.get().state == Revision.State.SUBMITTED
    assert [m.to for m in mail.outbox] == [["reviewer@example.org"]]
    assert live.title in mail.outbox[0].subject
    client.force_login(reviewer)
    overview = client.get(reverse("admin:articles_article_overview")).content.decode()
    assert live.title in BeautifulSoup(overview, "html.parser").select_one("#changes-to-review").get_text()


def test_the_review_page_shows_a_word_level_difference_and_the_checks(client, writer, reviewer, live):
    save_change(client, writer, live, body=PUBLISHABLE_BODY.replace("A lot.", "Quite a lot."), _submit="1")
    client.force_login(reviewer)
    page = BeautifulSoup(client.get(review_url(live)).content, "html.parser")
    diff = page.select_one("#review-diff")
    assert [d.get_text() for d in diff.find_all("del")] == ["A"]
    assert [i.get_text() for i in diff.find_all("ins")] == ["Quite a"]
    assert "All checks pass" in page.select_one("#review-checks").get_text()


def test_a_change_that_fails_a_check_cannot_be_submitted(client, writer, live):
    response = save_change(client, writer, live, body=PUBLISHABLE_BODY + "\nIt is a breakthrough cure.", _submit="1")
    assert response.status_code == 200 and "Fix these before submitting" in response.content.decode()
    assert not Revision.objects.filter(state=Revision.State.SUBMITTED).exists()


def test_approval_publishes_that_exact_text_at_once_and_tells_the_writer(client, writer, reviewer, live):
    save_change(client, writer, live, body=NEW_BODY, _submit="1")
    mail.outbox.clear()
    response = decide(client, reviewer, live, _approve="1", comment="Fine.")
    assert response.status_code == 302
    article = Article.objects.get(pk=live.pk)
    assert "has not seen yet" in article.body and "has not seen yet" in article.body_html
    assert Revision.objects.get().state == Revision.State.PUBLISHED
    assert Approval.objects.get().revision == Revision.objects.get()
    assert [m.to for m in mail.outbox] == [["writer@example.org"]] and "Approved" in mail.outbox[0].subject
    client.logout()
    page = client.get(live.get_absolute_url()).content.decode()
    assert "has not seen yet" in page and "Reviewed by Dr Test Reviewer" in page


def test_requesting_changes_sends_it_back_with_the_comment_and_the_live_text_stays(client, writer, reviewer, live):
    save_change(client, writer, live, body=NEW_BODY, _submit="1")
    mail.outbox.clear()
    decide(client, reviewer, live, _request_changes="1", comment="Say how many people.")
    assert Revision.objects.get().state == Revision.State.CHANGES_REQUESTED
    assert "Say how many people." in mail.outbox[0].body and mail.outbox[0].to == ["writer@example.org"]
    assert "has not seen yet" not in Article.objects.get(pk=live.pk).body
    client.force_login(writer)
    assert "Changes requested" in client.get(reverse("admin:articles_article_overview")).content.decode()


def test_a_scheduled_change_goes_live_at_its_time(client, writer, reviewer, live):
    later = timezone.localtime() + datetime.timedelta(hours=2)
    save_change(
        client,
        writer,
        live,
        body=NEW_BODY,
        _submit="1",
        go_live_at=later.strftime("%Y-%m-%dT%H:%M"),
    )
    decide(client, reviewer, live, _approve="1")
    assert Revision.objects.get().state == Revision.State.APPROVED
    assert "has not seen yet" not in Article.objects.get(pk=live.pk).body
    assert moderation.publish_due() == 0
    assert moderation.publish_due(now=later + datetime.timedelta(minutes=1)) == 1
    assert "has not seen yet" in Article.objects.get(pk=live.pk).body
    out = io.StringIO()
    call_command("publishpending", stdout=out)
    assert out.getvalue().startswith("0 approved changes published")


def test_nobody_approves_words_they_wrote_even_after_someone_else_changes_the_order(client, writer, live):
    both = clinical_reviewer("writer-and-reviewer")
    both.groups.add(Group.objects.get(name=WRITERS_GROUP))
    save_change(client, both, live, body=NEW_BODY)
    save_change(client, writer, live, order=7, _submit="1")
    response = decide(client, clinical_reviewer("writer-and-reviewer"), live, _approve="1")
    assert response.status_code == 302
    assert not Approval.objects.exists() and Revision.objects.get().state == Revision.State.SUBMITTED


def test_approving_text_changed_since_the_review_page_was_opened_is_refused(client, writer, reviewer, live):
    save_change(client, writer, live, body=NEW_BODY, _submit="1")
    client.force_login(reviewer)
    shown = client.get(review_url(live)).context["seen_token"]
    save_change(client, writer, live, body=NEW_BODY + "\nAnd one more.", _submit="1")
    client.force_login(reviewer)
    response = client.post(review_url(live), {"seen_token": shown, "_approve": "1"}, follow=True)
    assert "edited after you opened it" in response.content.decode()
    assert not Approval.objects.exists() and "And one more" not in Article.objects.get(pk=live.pk).body


def test_unpublishing_is_its_own_action(client, writer, live):
    save_change(client, writer, live, body=NEW_BODY)
    assert Article.objects.get(pk=live.pk).status == Article.Status.PUBLISHED
    client.force_login(writer)
    url = reverse("admin:articles_article_unpublish", args=[live.pk])
    assert "Take" in client.get(url).content.decode()
    client.post(url)
    assert Article.objects.get(pk=live.pk).status == Article.Status.DRAFT
    client.logout()
    assert client.get(live.get_absolute_url()).status_code == 404


def test_restoring_the_formerly_live_version_drafts_it_for_review(client, writer, reviewer, live):
    old_body = Article.objects.get(pk=live.pk).body
    save_change(client, writer, live, body=NEW_BODY, _submit="1")
    decide(client, reviewer, live, _approve="1")
    article = Article.objects.get(pk=live.pk)
    assert "has not seen yet" in article.body
    formerly_live = next(v for v in Version.objects.get_for_object(article) if v.field_dict["body"] == old_body)
    restore_url = reverse("admin:articles_article_revision", args=[article.pk, formerly_live.pk])
    client.force_login(writer)
    form = client.get(restore_url).context["adminform"].form
    response = client.post(
        restore_url, article_form(article, body=old_body, seen_edit_token=form["seen_edit_token"].value())
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    article = Article.objects.get(pk=live.pk)
    assert "has not seen yet" in article.body, "the live text stays until the restored one is approved"
    assert Revision.objects.open().get().body == old_body.strip()  # a form drops the final line break
