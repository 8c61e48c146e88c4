"""The live preview is bounded like Preview: refused input answers a JSON reason, and editors typing share limits."""

import json
import os
import subprocess
import sys
import threading

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from carnk_site.editorial import endpoints
from carnk_site.reliability import priority
from carnk_site.reliability.limits import live_preview_slot
from carnk_site.review.roles import WRITERS_GROUP, grant_editor_permissions
from carnk_site.text.rendering import RenderRefused

pytestmark = pytest.mark.django_db
PREVIEW = reverse("admin:articles_article_render_preview")


def editor(name):
    user = User.objects.create_user(name, password="a-long-test-passphrase", is_staff=True)
    group, created = Group.objects.get_or_create(name=WRITERS_GROUP)
    if created:  # a transactional test before this one flushed the rows the migration made
        grant_editor_permissions(group, Permission)
    user.groups.add(group)
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


def test_one_live_preview_at_a_time_per_editor(settings):
    settings.LIVE_PREVIEW_CONCURRENCY = 2  # room site-wide for both editors: only the per-editor limit refuses
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


# CPU priority and defaults ------------------------------------------------------------------------


@pytest.fixture
def fresh_pool():
    """Start and end each test without a pool of niced threads (their niceness cannot be undone)."""
    priority.reset_after_fork()
    yield
    if priority._pool is not None:
        priority._pool.shutdown()
    priority.reset_after_fork()


def thread_and_nice():
    tid = threading.get_native_id()
    return tid, os.getpriority(os.PRIO_PROCESS, tid)


@pytest.mark.skipif(not priority.supported(), reason="per-thread nice is Linux only")
def test_a_live_preview_renders_in_a_niced_thread_and_the_request_keeps_its_priority(settings, fresh_pool):
    settings.LIVE_PREVIEW_NICENESS = 5
    mine, before = thread_and_nice()
    worker, niceness = priority.run_at_low_priority(thread_and_nice)
    assert worker != mine and niceness == min(before + 5, 19)
    assert thread_and_nice() == (mine, before)
    assert priority.run_at_low_priority(thread_and_nice) == (worker, niceness)  # the niced thread is kept


def test_errors_reach_the_caller_from_the_niced_thread(settings, fresh_pool):
    settings.LIVE_PREVIEW_NICENESS = 5

    def refuse():
        raise RenderRefused("This text has 300 headings")

    with pytest.raises(RenderRefused, match="300 headings"):
        priority.run_at_low_priority(refuse)


def test_niceness_0_or_no_support_renders_in_the_request_thread(settings, fresh_pool, monkeypatch):
    settings.LIVE_PREVIEW_NICENESS = 0
    assert priority.run_at_low_priority(threading.get_native_id) == threading.get_native_id()
    settings.LIVE_PREVIEW_NICENESS = 10
    monkeypatch.setattr(priority, "supported", lambda: False)
    assert priority.run_at_low_priority(threading.get_native_id) == threading.get_native_id()
    assert priority._pool is None


def test_a_refused_nice_still_renders(settings, fresh_pool, monkeypatch, caplog):
    settings.LIVE_PREVIEW_NICENESS = 5
    monkeypatch.setattr(priority, "supported", lambda: True)

    def refused(*args):
        raise PermissionError("not permitted")

    monkeypatch.setattr(os, "setpriority", refused)
    assert priority.run_at_low_priority(lambda: "rendered") == "rendered"
    assert "Could not lower the live preview's CPU priority" in caplog.text


def test_the_endpoint_renders_through_the_low_priority_runner(monkeypatch):
    ran = []

    def runner(func, *args):
        ran.append(func.__name__)
        return func(*args)

    monkeypatch.setattr(endpoints, "run_at_low_priority", runner)
    _user, client = editor("writer")
    response = client.post(PREVIEW, {"body": "Hello **there**."})
    assert response.json()["ok"] is True and "<strong>there</strong>" in response.json()["body_html"]
    assert ran == ["_rendered_preview"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not priority.supported(), reason="per-thread nice is Linux only")
def test_a_live_preview_answers_from_the_niced_thread(settings, fresh_pool, monkeypatch):
    settings.LIVE_PREVIEW_NICENESS = 5
    threads = []
    real = endpoints._rendered_preview

    def rendered(article):
        threads.append(threading.current_thread().name)
        return real(article)

    monkeypatch.setattr(endpoints, "_rendered_preview", rendered)
    _user, client = editor("writer")
    response = client.post(PREVIEW, {"body": "Hello **there**."})
    assert response.json()["ok"] is True and "<strong>there</strong>" in response.json()["body_html"]
    assert threads and threads[0].startswith("live-preview")


def test_the_default_site_wide_limit_is_half_the_cores_and_previews_are_niced():
    code = (
        "import django, json, os; django.setup(); from django.conf import settings; "
        "print(json.dumps([settings.LIVE_PREVIEW_CONCURRENCY, settings.LIVE_PREVIEW_NICENESS, os.cpu_count()]))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIVE_PREVIEW_")}
    env.update(DJANGO_SETTINGS_MODULE="carnk_site.settings", DJANGO_DEBUG="1")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    concurrency, niceness, cores = json.loads(result.stdout)
    assert concurrency == max(1, cores // 2) and niceness == 10
