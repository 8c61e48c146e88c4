"""Clinical sign-off in a real browser: a writer submits a change to a published article, which stays live
meanwhile; a different person, a clinical reviewer, approves it from a word-by-word comparison, which
publishes it; the reader sees the new text and who reviewed it, under the strict CSP.
Then the reader says the page was unclear, and the answer reaches the triage list."""

import json
import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse
from playwright.sync_api import expect

from carnk_site.articles.models import Article
from carnk_site.feedback.models import Feedback
from carnk_site.review.models import Approval, ReviewerProfile
from carnk_site.review.roles import (
    REVIEWERS_GROUP,
    WRITERS_GROUP,
    grant_editor_permissions,
    grant_reviewer_permissions,
)

from .conftest import PHONE
from .test_accessibility import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)
ARTICLE = "how-car-nk-works"
PASSWORD = "a-long-test-passphrase"
NEW_SENTENCE = "A sentence the reviewer checked."


def make_member(username, group_name, grant):
    group, created = Group.objects.get_or_create(name=group_name)
    if created:  # a live-server test before this one flushed the rows the migration made
        grant(group, Permission)
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(group)
    return user


def sign_in(pages, username):
    page = pages.open(reverse("admin:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**" + reverse("admin:index"))
    return page


def keep(page, name):
    """Keep a full-page picture when SCREENSHOTS names a folder (for notes; tests never read it)."""
    folder = os.environ.get("SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def watch_csp(page):
    """Record every CSP violation and console complaint the page causes."""
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script("""window.cspViolations = [];
        document.addEventListener('securitypolicyviolation',
            e => window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));""")
    return console


def test_reviewer_approves_another_writers_article_and_the_reader_sees_the_sign_off(pages):
    make_member("writer", WRITERS_GROUP, grant_editor_permissions)
    reviewer = make_member("reviewer", REVIEWERS_GROUP, grant_reviewer_permissions)
    ReviewerProfile.objects.create(user=reviewer, display_name="Dr Test Reviewer", role="Consultant haematologist")
    article = Article.objects.get(slug=ARTICLE)
    change = pages.base_url + reverse("admin:articles_article_change", args=[article.pk])

    reader = pages.open(article.get_absolute_url())
    expect(reader.locator(".signoff")).to_contain_text("Not yet reviewed by a clinician")

    writer_page = sign_in(pages, "writer")
    writer_page.goto(change)
    expect(writer_page.locator("#moderation-state")).to_contain_text("Published.")
    writer_page.fill("#id_body", article.body + f"\n\n{NEW_SENTENCE}\n")
    writer_page.click("input[name=_submit]")
    expect(writer_page.locator(".messagelist")).to_contain_text("Submitted for clinical review")
    during = pages.open(article.get_absolute_url(), viewport=PHONE)  # the page stays live, as it was
    expect(during.locator("main")).not_to_contain_text(NEW_SENTENCE)
    keep(during, "reader-during-review")

    reviewer_page = sign_in(pages, "reviewer")
    reviewer_page.goto(pages.base_url + reverse("admin:articles_article_overview"))
    reviewer_page.locator("#changes-to-review a", has_text=article.title).click()
    expect(reviewer_page.locator("#review-diff ins")).to_contain_text(NEW_SENTENCE)
    keep(reviewer_page, "review-page")
    reviewer_page.fill("#id_comment", "Clear and fair to the sources.")
    reviewer_page.get_by_role("button", name="Approve this change").click()
    expect(reviewer_page.locator(".messagelist")).to_contain_text("Approved and published")
    assert Approval.objects.get().reviewer.user == reviewer

    reader = pages.open(None)
    console = watch_csp(reader)
    response = reader.goto(pages.base_url + article.get_absolute_url(), wait_until="networkidle")
    assert "script-src 'self'" in response.headers["content-security-policy"]  # no 'unsafe-inline'
    expect(reader.locator("main")).to_contain_text(NEW_SENTENCE)
    today = Approval.objects.get().created
    expect(reader.locator(".signoff")).to_contain_text(
        f"Reviewed by Dr Test Reviewer, Consultant haematologist · {today:%-d %B %Y}"
    )
    data = json.loads(reader.locator("script[type='application/ld+json']").text_content())
    assert data["reviewedBy"]["name"] == "Dr Test Reviewer" and data["@type"] == "MedicalWebPage"
    assert reader.evaluate("window.cspViolations") == []
    assert [text for text in console if "Content Security Policy" in text] == []
    keep(pages.open(article.get_absolute_url(), viewport=PHONE), "reader-after-approval")


def test_a_reader_without_javascript_says_a_page_was_unclear(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + reverse("articles:detail", args=[ARTICLE]))
    form = page.locator("form.feedback-form")
    form.get_by_label("No").check()
    form.get_by_label("Tell us more (optional)").fill("The part about cord blood was hard to follow.")
    form.get_by_role("button", name="Send").click()
    page.wait_for_url("**" + reverse("feedback:thanks"))
    assert page.locator("h1").inner_text() == "Thank you"
    stored = Feedback.objects.get()
    assert (stored.page, stored.helpful, stored.status) == (f"/articles/{ARTICLE}/", False, "new")
    assert stored.text == "The part about cord blood was hard to follow."
    context.close()


def test_feedback_form_sign_off_line_and_trust_pages_pass_axe(pages):
    for path in (reverse("articles:detail", args=[ARTICLE]), "/pages/about/", "/pages/accessibility/"):
        for viewport in ({"width": 1280, "height": 900}, PHONE):
            page = pages.open(path, viewport=viewport)
            assert axe_violations(page) == [], f"{path} ({viewport['width']} px)"
            page.context.close()
