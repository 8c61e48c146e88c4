"""Editors in a real browser: preview opens the reader's page with unsaved changes; history restores."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from carnk_site.articles.models import Article
from carnk_site.review import moderation
from carnk_site.review.models import Revision

from ..conftest import clinical_reviewer

pytestmark = pytest.mark.django_db(transaction=True)
ARTICLE = "how-car-nk-works"


def sign_in(pages):
    User.objects.create_superuser("editor", "editor@example.org", "a-long-test-passphrase")
    page = pages.open(reverse("admin:login"))
    page.fill("#id_username", "editor")
    page.fill("#id_password", "a-long-test-passphrase")
    page.click("input[type=submit]")
    page.wait_for_url("**" + reverse("admin:index"))
    return page


def open_article(page, base):
    article = Article.objects.get(slug=ARTICLE)
    page.goto(base + reverse("admin:articles_article_change", args=[article.pk]))
    return article


def test_preview_opens_readers_page_with_unsaved_text_and_saves_nothing(pages):
    page = sign_in(pages)
    article = open_article(page, pages.base_url)
    page.fill("#id_body", article.body + "\n\nA sentence only the preview shows.\n")
    with page.context.expect_page() as new_tab:
        page.get_by_role("button", name="Preview as readers will see it").click()
    preview = new_tab.value
    preview.wait_for_load_state()
    assert "Preview — not published" in preview.inner_text(".preview-banner")
    assert "A sentence only the preview shows." in preview.inner_text("main")
    assert preview.locator("h1").inner_text() == article.title
    assert preview.locator("span[data-claim]").count() > 5
    assert "A sentence only the preview shows." not in Article.objects.get(pk=article.pk).body
    public = pages.open(article.get_absolute_url())
    assert "A sentence only the preview shows." not in public.inner_text("main")


def approve_waiting_change(article):
    """Have a clinical reviewer approve the article's waiting change (the review page has tests of its own)."""
    revision = Revision.objects.open().get(article=article)
    moderation.approve(revision, clinical_reviewer(), seen_token=revision.edit_token)


def save_with_note(page, base, extra, note):
    article = open_article(page, base)
    page.fill("#id_body", article.body + f"\n\n{extra}\n")
    page.fill("#id_change_note", note)
    page.click("input[name=_submit]")
    page.wait_for_url("**/change/")
    approve_waiting_change(article)


def test_restore_an_earlier_version_from_history(pages):
    page = sign_in(pages)
    save_with_note(page, pages.base_url, "First browser edit.", "first browser edit")
    save_with_note(page, pages.base_url, "Second browser edit.", "second browser edit")
    article = open_article(page, pages.base_url)
    page.click("text=History")
    page.locator("tr", has_text="first browser edit").locator("a").first.click()
    page.click("input[name=_submit]")  # a published article: the restored text is a change to review
    page.wait_for_url("**/change/")
    assert "Second browser edit." in Article.objects.get(pk=article.pk).body, "live until approved"
    approve_waiting_change(article)
    article.refresh_from_db()
    assert "First browser edit." in article.body and "Second browser edit." not in article.body
    reader = pages.open(article.get_absolute_url())
    text = reader.inner_text("main")
    assert "First browser edit." in text and "Second browser edit." not in text
