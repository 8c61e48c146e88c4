"""Refresh jobs survive killed processes: a heartbeat per chunk, taken over within seconds of going stale."""

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from carnk_site.articles.models import Article
from carnk_site.publishing import background
from carnk_site.publishing.models import RefreshJob

from .conftest import make_article, make_term

pytestmark = pytest.mark.django_db
LINK = 'data-term="natural-killer-cell"'
ROOT = Path(__file__).resolve().parent.parent


def stale_articles(count=3):
    """Articles whose stored HTML still links a term that no longer has that name."""
    make_term(aliases="")
    articles = [make_article(f"article-{n}", body="A natural killer cell is a white blood cell.") for n in range(count)]
    Article.objects.update(body_html="<p>stale</p>")
    return [a.pk for a in articles]


def ago(seconds):
    return timezone.now() - datetime.timedelta(seconds=seconds)


def test_a_job_whose_heartbeat_stopped_half_a_minute_ago_is_taken_over(settings):
    ids = stale_articles()
    dead = RefreshJob.objects.create(articles=ids, claimed_at=ago(45), heartbeat_at=ago(31))
    assert background.run_pending() == 3  # the old rule waited until the claim was 5 minutes old
    assert not RefreshJob.objects.filter(pk=dead.pk).exists()
    assert all("stale" not in html for html in Article.objects.values_list("body_html", flat=True))


def test_a_job_with_a_recent_heartbeat_is_left_to_its_runner_however_old_its_claim():
    ids = stale_articles()
    RefreshJob.objects.create(articles=ids, claimed_at=ago(600), heartbeat_at=ago(5))
    assert background.run_pending() == 0
    assert RefreshJob.objects.get().articles == ids


def test_each_chunk_commits_a_heartbeat_and_what_is_left(monkeypatch):
    ids = stale_articles()
    job = RefreshJob.objects.create(articles=ids)
    monkeypatch.setattr(background, "CHUNK", 1)
    seen = []
    real = background.refresh_articles

    def watched(chunk, body_only=()):
        row = RefreshJob.objects.get(pk=job.pk)
        seen.append((list(chunk), row.articles, row.heartbeat_at))
        return real(chunk, body_only)

    monkeypatch.setattr(background, "refresh_articles", watched)
    assert background.run_pending() == 3
    assert [chunk for chunk, _left, _beat in seen] == [[i] for i in ids]
    assert [left for _chunk, left, _beat in seen] == [ids, ids[1:], ids[2:]]  # a taker-over starts from here
    beats = [beat for _chunk, _left, beat in seen]
    assert beats[0] is not None and beats[0] < beats[1] < beats[2]


def test_a_runner_whose_job_was_taken_over_stops(monkeypatch):
    ids = stale_articles()
    RefreshJob.objects.create(articles=ids)
    monkeypatch.setattr(background, "CHUNK", 1)

    def robbed():  # between two chunks, another process takes the job over
        RefreshJob.objects.update(heartbeat_at=timezone.now() + datetime.timedelta(seconds=1))

    monkeypatch.setattr(background.version, "bump", robbed)
    assert background._run(background._claim()) == 1
    assert RefreshJob.objects.get().articles == ids[1:]


def test_the_next_request_resumes_an_abandoned_job(client, settings, monkeypatch):
    settings.PUBLISHING_RESUME_CHECK_SECONDS = 10
    monkeypatch.setitem(background._last_check, "at", float("-inf"))
    ids = stale_articles()
    RefreshJob.objects.create(articles=ids[:1], claimed_at=ago(40), heartbeat_at=ago(40))
    client.get("/")  # test settings run the job in the request's thread instead of a new one
    assert not RefreshJob.objects.exists()
    RefreshJob.objects.create(articles=ids[1:], claimed_at=ago(40), heartbeat_at=ago(40))
    client.get("/")  # within 10 s of the last look: no query, the job waits for the next look
    assert RefreshJob.objects.exists()


def test_a_job_never_claimed_is_abandoned_once_as_old_as_a_stale_heartbeat():
    ids = stale_articles()
    fresh = RefreshJob.objects.create(articles=ids[:1])
    old = RefreshJob.objects.create(articles=ids[1:])
    RefreshJob.objects.filter(pk=old.pk).update(created=ago(31))
    assert list(background.abandoned()) == [old]
    assert fresh not in background.abandoned()


CHILD = """
import sys, time
import django
django.setup()
from carnk_site.publishing import background
background.CHUNK = 1
real = background.refresh_articles
def slow(chunk, body_only=()):
    result = real(chunk, body_only)
    print("chunk", chunk[0], flush=True)
    time.sleep(0.5)
    return result
background.refresh_articles = slow
background.run_pending()
print("finished", flush=True)
"""


@pytest.mark.slow
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a second process needs a database it can reach")
@pytest.mark.django_db(transaction=True)
def test_a_job_whose_process_was_killed_is_finished_by_the_next_look(settings):
    settings.PUBLISHING_JOB_STALE_SECONDS = 3
    ids = stale_articles(count=8)
    RefreshJob.objects.create(articles=ids)
    database = connection.settings_dict
    env = os.environ | {
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "DJANGO_SETTINGS_MODULE": "carnk_site.test_settings",
    }
    child = subprocess.Popen([sys.executable, "-c", CHILD], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    try:
        lines = [child.stdout.readline(), child.stdout.readline()]
        assert all(line.startswith("chunk") for line in lines), lines
        child.send_signal(signal.SIGKILL)  # kill -9 mid-job: no chance to tidy up
        killed_at = time.monotonic()
    finally:
        child.wait(timeout=10)
    left = RefreshJob.objects.get().articles
    assert 0 < len(left) <= len(ids) - 1  # the first chunk committed; the second died with its transaction
    assert background.run_pending() == 0  # its heartbeat is fresh: still the dead runner's
    while not (resumed := background.run_pending()):  # what publishpending or a request's look does
        assert time.monotonic() - killed_at < 10, "the job was never taken over"
        time.sleep(0.2)
    stale_for = time.monotonic() - killed_at
    assert resumed == len(left) and not RefreshJob.objects.exists()
    assert stale_for < settings.PUBLISHING_JOB_STALE_SECONDS + 2
    assert all("stale" not in html for html in Article.objects.values_list("body_html", flat=True))


# The same kill, in production's shape: a real gunicorn (the repo's config), its worker running the
# job in its background thread, `kill -9` of that worker mid-job, readers' requests to the new worker.
WSGI = """
import time
from carnk_site.wsgi import application
from carnk_site.publishing import background
background.CHUNK = 2
real = background.refresh_articles
def slow(chunk, body_only=()):
    time.sleep(0.3)  # a large library's chunk: long enough to be killed in the middle of the job
    return real(chunk, body_only)
background.refresh_articles = slow
"""
SETTINGS = """
from carnk_site.test_settings import *
ALLOWED_HOSTS = ["127.0.0.1"]
PUBLISHING_IN_BACKGROUND = True  # production's thread
PUBLISHING_RESUME_CHECK_SECONDS = 1
PUBLISHING_JOB_STALE_SECONDS = 3
"""


def gunicorn_workers(master):
    """Return the pids of a gunicorn master's workers (its child processes)."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def wait_for(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while not (found := condition()):
        assert time.monotonic() < deadline, what
        time.sleep(0.02)
    return found


@pytest.mark.slow
@pytest.mark.skipif(connection.vendor != "postgresql", reason="gunicorn's workers need a database they can reach")
@pytest.mark.django_db(transaction=True)
def test_gunicorn_worker_killed_mid_job_is_taken_over_by_its_replacement(tmp_path):
    import socket
    import urllib.request

    ids = stale_articles(count=24)
    job = RefreshJob.objects.create(articles=ids)
    RefreshJob.objects.filter(pk=job.pk).update(created=ago(60))  # unclaimed and old: the first request runs it
    (tmp_path / "killtest_wsgi.py").write_text(WSGI)
    (tmp_path / "killtest_settings.py").write_text(SETTINGS)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    database = connection.settings_dict
    env = os.environ | {
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "DJANGO_SETTINGS_MODULE": "killtest_settings",
        "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}",
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
    }
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-c",
            "carnk_site/gunicorn.conf.py",
            "killtest_wsgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def read_page():
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10).read()
            return True
        except OSError:
            return False

    def remaining():
        return RefreshJob.objects.filter(pk=job.pk).values_list("articles", flat=True).first()

    try:
        wait_for(read_page, 60, "gunicorn did not start")
        [worker] = wait_for(lambda: gunicorn_workers(server.pid), 10, "no worker")
        wait_for(lambda: (left := remaining()) is not None and 0 < len(left) < len(ids) - 2, 30, "the job never ran")
        os.kill(worker, signal.SIGKILL)  # mid-job: chunks done, chunks left, no chance to tidy up
        killed_at = time.monotonic()
        left_at_kill = remaining()
        assert left_at_kill, "the job ended before the kill"
        # Readers keep asking; the replacement worker's look finds the silent job and finishes it.
        while RefreshJob.objects.filter(pk=job.pk).exists():
            assert time.monotonic() - killed_at < 30, "the killed worker's job was never taken over"
            read_page()
            time.sleep(0.2)
        stale_for = time.monotonic() - killed_at
        assert worker not in gunicorn_workers(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    # Stale for no longer than the heartbeat's limit, the look's interval and the rest of the job.
    assert stale_for < 3 + 1 + 0.3 * len(left_at_kill) / 2 + 5
    assert all("stale" not in html for html in Article.objects.values_list("body_html", flat=True))
