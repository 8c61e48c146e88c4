"""A page-cache invalidation lost while Redis hangs still reaches readers once Redis answers again."""

import os
import signal
import socket
import time
from pathlib import Path

import pytest
from django.test import override_settings

from carnk_site.caching import version

from .conftest import make_article, make_claim, start_redis_server

REDIS_SERVER = Path("/usr/bin/redis-server")

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.slow,
    pytest.mark.skipif(not REDIS_SERVER.exists(), reason="redis-server is not installed"),
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_server():
    """Start a throwaway redis-server on a free port; yield (process, port)."""
    port = free_port()
    process = start_redis_server(str(REDIS_SERVER), port)
    try:
        yield process, port
    finally:
        os.kill(process.pid, signal.SIGCONT)
        process.terminate()
        process.wait(10)


def test_a_bump_lost_while_redis_hangs_reaches_readers_within_the_check_interval(
    client, settings, redis_server, monkeypatch, django_capture_on_commit_callbacks
):
    process, port = redis_server
    settings.PAGE_CACHE_SECONDS = 600
    caches = {
        "default": {
            "BACKEND": "carnk_site.caching.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/1",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    make_claim()
    article = make_article(body="Old words: [8 of 11 people responded](claim:test-claim).")
    url = article.get_absolute_url()
    with override_settings(CACHES=caches):
        client.get(url)
        assert "Old words" in client.get(url).content.decode()
        seen_before_the_save = dict(version._seen)  # what another worker read just before the save

        os.kill(process.pid, signal.SIGSTOP)
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            article.body = "New words: [8 of 11 people responded](claim:test-claim)."
            article.save()
        assert time.monotonic() - started < 3, "a hung Redis must not hold a save"
        os.kill(process.pid, signal.SIGCONT)

        version._seen.update(seen_before_the_save)  # now read as that other worker
        assert "Old words" in client.get(url).content.decode()  # Redis never heard of the save
        later = time.monotonic() + version.CHECK_SECONDS
        monkeypatch.setattr(version, "_now", lambda: later)
        assert "New words" in client.get(url).content.decode()
