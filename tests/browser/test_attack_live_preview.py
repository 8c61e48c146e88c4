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


def test_a_busy_live_preview_asks_nothing_until_its_retry_after_has_passed(pages):
    """A 429 says when to ask again: typing meanwhile sends nothing, then one ask carries the latest text."""
    page = sign_in(pages)
    asked = []

    def answer(route):
        asked.append(route.request.post_data or "")
        if len(asked) == 1:
            route.fulfill(
                status=429,
                headers={"Retry-After": "30"},
                content_type="application/json",
                body='{"ok": false, "error": "Other previews are being prepared."}',
            )
        else:
            route.fulfill(
                content_type="application/json",
                body='{"ok": true, "body_html": "<p>Typed meanwhile.</p>", "key_points_html": "", "reading_minutes": 1}',
            )

    page.route("**/render-preview/", answer)
    page.clock.install()
    article = Article.objects.get(slug="how-car-nk-works")
    page.goto(pages.base_url + reverse("admin:articles_article_change", args=[article.pk]))
    state = page.locator(".preview-state")
    expect(state).to_have_text("Waiting for a free moment…", timeout=10_000)
    assert len(asked) == 1
    page.fill("#id_body", "Typed meanwhile.")
    page.clock.run_for(10_000)  # the debounce fires, and the editor's old fixed 2 s retry would have asked twice
    page.wait_for_timeout(500)
    assert len(asked) == 1
    expect(state).to_have_text("Waiting for a free moment…")
    page.clock.run_for(21_000)  # past the 30 s the server asked for
    expect(state).to_have_text("Up to date.", timeout=10_000)
    assert len(asked) == 2 and "Typed meanwhile." in asked[1]
