"""A change to a published page in a real browser: the writer submits it, the page stays live, a reviewer approves it.

Set SCREENSHOTS=/some/folder to keep pictures of the review page and of the reader's page during and after.
"""

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from carnk_site.articles.models import Article
from carnk_site.review.models import Revision
from carnk_site.review.roles import WRITERS_GROUP

from ..conftest import clinical_reviewer, role_group
from .conftest import PHONE

pytestmark = pytest.mark.django_db(transaction=True)
ARTICLE = "safety-and-side-effects"
PASSWORD = "a-long-test-passphrase"
NEW_SENTENCE = "Ask your care team which of these signs to report at night."


def signed_in(pages, user):
    user.set_password(PASSWORD)
    user.save()
    page = pages.open(reverse("admin:login"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**" + reverse("admin:index"))
    return page


def keep(page, name):
    folder = os.environ.get("SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_a_change_waits_for_review_while_the_page_stays_live_then_goes_live_on_approval(pages):
    article = Article.objects.get(slug=ARTICLE)
    writer = User.objects.create_user("writer", "writer@example.org", is_staff=True)
    writer.groups.add(role_group(WRITERS_GROUP))
    editor = signed_in(pages, writer)
    editor.goto(pages.base_url + reverse("admin:articles_article_change", args=[article.pk]))
    assert "Published." in editor.inner_text("#moderation-state")
    body = editor.locator("#id_body")
    body.fill(body.input_value().replace("\n## ", f"\n{NEW_SENTENCE}\n\n## ", 1))
    editor.click("input[name=_submit]")
    editor.wait_for_url("**/change/")
    assert "Submitted for clinical review" in editor.inner_text(".messagelist")

    reader = pages.open(article.get_absolute_url(), viewport=PHONE)
    assert reader.locator("h1").inner_text() == article.title
    assert NEW_SENTENCE not in reader.inner_text("main")
    keep(reader, "reader-during-review")

    reviewer = signed_in(pages, clinical_reviewer())
    reviewer.goto(pages.base_url + reverse("admin:articles_article_overview"))
    reviewer.locator("#changes-to-review a", has_text=article.title).click()
    assert NEW_SENTENCE in reviewer.locator("#review-diff ins").all_inner_texts()[0]
    assert "All checks pass" in reviewer.inner_text("#review-checks") or reviewer.locator("#review-checks li").count()
    keep(reviewer, "review-page")
    reviewer.fill("#id_comment", "Clear, and it matches the sources.")
    reviewer.click("input[name=_approve]")
    reviewer.wait_for_url("**/change/")
    assert "Approved and published" in reviewer.inner_text(".messagelist")
    assert Revision.objects.get().state == Revision.State.PUBLISHED

    after = pages.open(article.get_absolute_url(), viewport=PHONE)
    assert NEW_SENTENCE in after.inner_text("main")
    assert "Reviewed by Dr Test Reviewer" in after.inner_text(".signoff")
    keep(after, "reader-after-approval")
