"""The live preview in Chromium: text the renderer refuses is explained beside it, not taken for a sign-out."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from carnk_site.articles.models import Article

from .test_editor_tools import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_over_long_paragraph_gets_the_renderers_reason_in_the_live_preview(pages):
    page = sign_in(pages)
    article = Article.objects.get(slug="how-car-nk-works")
    page.goto(pages.base_url + reverse("admin:articles_article_change", args=[article.pk]))
    page.fill("#id_body", "word " * 1200)  # one 6,000-character paragraph: within the body's limit, over a block's
    state = page.locator(".preview-state")
    expect(state).to_contain_text("One paragraph, list or table is 6,000 characters long", timeout=10_000)
    expect(state).not_to_contain_text("signed out")
    page.fill("#id_body", "A short paragraph again.")
    expect(state).to_have_text("Up to date.", timeout=10_000)
