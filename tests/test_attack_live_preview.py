"""The live preview is bounded like Preview: refused input answers a JSON reason, and editors typing share limits."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from carnk_site.reliability.limits import live_preview_slot
from carnk_site.review.roles import WRITERS_GROUP

pytestmark = pytest.mark.django_db
PREVIEW = reverse("admin:articles_article_render_preview")


def editor(name):
    user = User.objects.create_user(name, password="a-long-test-passphrase", is_staff=True)
    user.groups.add(Group.objects.get(name=WRITERS_GROUP))
    client = Client()
    client.force_login(user)
    return user, client


@pytest.fixture(autouse=True)
def no_previews_running():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize(
    "body, reason",
    [
        ("word " * 1200, "One paragraph, list or table is 6,000 characters long"),
        ("\n\n".join(f"## Heading {n}\n\nText." for n in range(300)), "This text has 300 headings"),
        ("\n".join("  " * depth + "- item" for depth in range(150)), "One paragraph, list or table"),
    ],
    ids=["6000-character-paragraph", "300-headings", "150-deep-list"],
)
def test_over_limit_markdown_answers_a_json_reason_not_a_500(body, reason):
    _user, client = editor("writer")
    response = client.post(PREVIEW, {"body": body})
    assert response.status_code == 422, response.content[:300]
    assert response["Content-Type"] == "application/json"
    assert response.json()["ok"] is False and reason in response.json()["error"]


def test_one_live_preview_at_a_time_per_editor():
    user, client = editor("writer")
    _other, other_client = editor("other-writer")
    with live_preview_slot(user.pk) as free:  # this editor's previous keystroke is still rendering
        assert free
        busy = client.post(PREVIEW, {"body": "Hello."})
        assert busy.status_code == 429 and busy["Retry-After"]
        assert "follows in a moment" in busy.json()["error"]
        assert other_client.post(PREVIEW, {"body": "Hello."}).status_code == 200
    assert client.post(PREVIEW, {"body": "Hello."}).status_code == 200  # the slot was given back


def test_live_previews_site_wide_are_limited(settings):
    settings.LIVE_PREVIEW_CONCURRENCY = 2
    _user, client = editor("writer")
    with live_preview_slot(1001) as first, live_preview_slot(1002) as second:
        assert first and second
        assert client.post(PREVIEW, {"body": "Hello."}).status_code == 429
    assert client.post(PREVIEW, {"body": "Hello."}).json()["ok"] is True
