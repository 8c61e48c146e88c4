"""Faults survived: Redis gone, the database gone, a bug in a view, an import killed halfway."""

import json
import os
import runpy
import select
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings

from carnk_site.tooling.library import make_library, write_library
from tests.conftest import article_form, make_article, make_claim, make_source, make_term, start_redis_server

from .conftest import admin_url, make_editor

pytestmark = pytest.mark.django_db
BASE_DIR = Path(__file__).resolve().parents[2]
READER_URLS = [
    "/",
    "/glossary/",
    "/glossary/natural-killer-cell/",
    "/sources/",
    "/sources/news/",
    "/evidence/",
    "/search/?q=cell",
]


def listening(port):
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def closed_port():
    """Return a port in 8400-8499 on which nothing listens.

    Searched from the top (the soak's gunicorn takes the first free port from the bottom). Under
    pytest-xdist each worker starts ten lower, so one worker's private Redis never opens the port
    that another worker's test is relying on being closed.
    """
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    top = 8499 - 10 * (worker % 10)
    for port in [*range(top, 8399, -1), *range(8499, top, -1)]:
        if not listening(port):
            return port
    raise RuntimeError("every port in 8400-8499 is taken")


def redis_cache(port):
    """Return the cache settings production builds from REDIS_URL, pointed at this port."""
    env = {"REDIS_URL": f"redis://127.0.0.1:{port}/0", "CACHE_KEY_PREFIX": "carnk-fault-test", "DJANGO_DEBUG": "1"}
    with mock.patch.dict(os.environ, env):
        caches = runpy.run_path(str(BASE_DIR / "carnk_site" / "settings.py"))["CACHES"]
    assert "redis" in caches["default"]["BACKEND"].lower()
    return caches


@pytest.fixture
def content(db):
    make_source(slug="news")
    make_claim()
    make_term()
    return make_article(body="An NK cell: [8 of 11 people responded](claim:test-claim).")


def test_with_redis_stopped_pages_come_from_the_database_with_a_warning(client, content, caplog):
    urls = [*READER_URLS, content.get_absolute_url()]
    with override_settings(CACHES=redis_cache(closed_port()), PAGE_CACHE_SECONDS=600):
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
        assert content.title in client.get(content.get_absolute_url()).content.decode()
    warnings = [r for r in caplog.records if r.levelname == "WARNING" and "cache unavailable" in r.getMessage()]
    assert len(warnings) >= len(urls)


def test_with_redis_stopped_editors_can_still_save(client, content, caplog, django_capture_on_commit_callbacks):
    client.force_login(make_editor())
    type(content).objects.filter(pk=content.pk).update(status="draft")  # edited directly, not as a waiting change
    content.refresh_from_db()
    with override_settings(CACHES=redis_cache(closed_port()), PAGE_CACHE_SECONDS=600):
        with django_capture_on_commit_callbacks(execute=True):  # the cache is told after the save commits
            response = client.post(
                admin_url(f"articles/article/{content.pk}/change/"),
                article_form(content, title="Saved while Redis was down", status="draft"),
            )
    assert response.status_code == 302
    content.refresh_from_db()
    assert content.title == "Saved while Redis was down"
    assert any("cache unavailable" in r.getMessage() for r in caplog.records)


@pytest.fixture
def own_redis(tmp_path):
    """Start a private redis-server on a free port in 8400-8499 (never the machine's own Redis)."""
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed; the closed-port tests above still cover a Redis outage")
    port = closed_port()
    process = start_redis_server(server, port, "--dir", str(tmp_path))
    yield process, port
    if process.poll() is None:
        process.kill()
    process.wait()


def test_redis_dying_mid_service_leaves_pages_served(client, content, own_redis, caplog):
    process, port = own_redis
    url = content.get_absolute_url()
    with override_settings(CACHES=redis_cache(port), PAGE_CACHE_SECONDS=600):
        assert client.get(url).status_code == 200
        with mock.patch("carnk_site.reader.articles.render") as view_render:
            assert client.get(url).status_code == 200  # served from Redis: the view did not run
            view_render.assert_not_called()
        process.terminate()
        process.wait(timeout=10)
        for page in [*READER_URLS, url]:
            assert client.get(page).status_code == 200, page
    assert any("cache unavailable" in r.getMessage() for r in caplog.records)


# The database ------------------------------------------------------------------------------------------


def database_down():
    """Make every query fail the way an unreachable database does."""
    from django.db import OperationalError

    return mock.patch.object(connection, "cursor", side_effect=OperationalError("could not connect to server"))


def test_with_the_database_unreachable_readers_get_a_friendly_503(client, content, caplog):
    client.raise_request_exception = False
    with database_down():
        for url in [*READER_URLS, content.get_absolute_url(), "/claims.json"]:
            response = client.get(url)
            assert response.status_code == 503, url
            text = response.content.decode()
            assert "This page is not available just now" in text, url
            assert "Traceback" not in text and "OperationalError" not in text and "could not connect" not in text
            assert response["Retry-After"] == "30"
            assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert any(r.levelname == "ERROR" and "Database unavailable" in r.getMessage() for r in caplog.records)


def test_pages_in_the_page_cache_outlive_the_database(client, content):
    url = content.get_absolute_url()
    with override_settings(PAGE_CACHE_SECONDS=600):
        assert client.get(url).status_code == 200
        with database_down():
            assert client.get(url).status_code == 200
            assert client.get("/glossary/").status_code == 503


DATABASE_DOWN_PROBE = textwrap.dedent("""
    import json, django
    django.setup()
    from django.test import Client
    client = Client(raise_request_exception=False)
    answers = {}
    for url in ("/", "/glossary/", "/articles/how-car-nk-works/", "/sources/"):
        response = client.get(url)
        answers[url] = [response.status_code, response.content.decode()]
    print(json.dumps(answers))
""")


@pytest.mark.slow
def test_a_real_unreachable_postgresql_gives_the_503_page_without_debug_details(tmp_path):
    """The whole stack with DEBUG off and DATABASE_URL pointing at a port where nothing listens."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS"))}
    env.update(
        DJANGO_SETTINGS_MODULE="carnk_site.settings",
        DJANGO_SECRET_KEY="x" * 60,
        DJANGO_HTTPS="0",
        ALLOWED_HOSTS="testserver",
        PLAIN_STATIC_STORAGE="1",
        DATABASE_URL=f"postgres://nobody@127.0.0.1:{closed_port()}/nothing",
    )
    result = subprocess.run(
        [sys.executable, "-c", DATABASE_DOWN_PROBE], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    for url, (status, text) in json.loads(result.stdout.strip().splitlines()[-1]).items():
        assert status == 503, url
        assert "This page is not available just now" in text
        assert "Traceback" not in text and "psycopg" not in text and "127.0.0.1" not in text
    assert "Database unavailable" in result.stderr


def test_a_bug_shows_the_plain_500_page_and_nothing_of_the_code(client, content):
    client.raise_request_exception = False
    with mock.patch("carnk_site.reader.glossary.render", side_effect=RuntimeError("secret internals")):
        response = client.get("/glossary/")
    assert response.status_code == 500
    text = response.content.decode()
    assert "Something went wrong" in text
    for leak in ("secret internals", "Traceback", "RuntimeError", "SECRET_KEY", "settings", 'File "'):
        assert leak not in text


def test_the_error_pages_need_no_database_and_no_template_logic():
    for name in ("500.html", "503.html"):
        source = (BASE_DIR / "templates" / name).read_text()
        assert "{%" not in source and "{{" not in source, name
        assert "<script" not in source and "style=" not in source, name


# An import killed halfway ------------------------------------------------------------------------------


# `python -c HELD_AFTER_EDIT FD TEXT loadcontent ...` runs manage.py's loadcontent, but right after the
# statement that writes TEXT, it writes how many write statements it has run to file descriptor FD and waits to be
# killed: the test kills it halfway at a known point instead of a guessed number of seconds into it.
EDIT = "An edit that must not half-land."
HELD_AFTER_EDIT = """
import os, signal, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carnk_site.settings")
from django.core.management import execute_from_command_line
from django.db.backends.signals import connection_created

held, edit, writes = int(sys.argv.pop(1)), sys.argv.pop(1), []


def hold_after_the_edit(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if sql.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE"):
        writes.append(sql)
        if edit in repr(params):
            os.write(held, str(len(writes)).encode())
            while True:
                signal.pause()
    return result


connection_created.connect(lambda connection, **_: connection.execute_wrappers.append(hold_after_the_edit), weak=False)
execute_from_command_line(["manage.py", *sys.argv[1:]])
"""


def manage(db_file, *args, program=("manage.py",), **popen):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DATABASE_URL", "REDIS"))}
    env.update(DJANGO_DEBUG="1", DATABASE_URL=f"sqlite:///{db_file}", PYTHONUNBUFFERED="1")
    command = [sys.executable, *program, *args]
    if popen:
        return subprocess.Popen(command, cwd=BASE_DIR, env=env, **popen)
    return subprocess.run(command, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=600, check=True)


def snapshot(db_file):
    """Return everything readers see, straight from the SQLite file."""
    with sqlite3.connect(db_file) as db:
        return {
            "articles": db.execute(
                "SELECT slug, title, status, body, body_html FROM articles_article ORDER BY slug"
            ).fetchall(),
            "claims": db.execute("SELECT slug, statement, evidence FROM evidence_claim ORDER BY slug").fetchall(),
            "citations": db.execute("SELECT claim_id, source_id, quote FROM evidence_citation ORDER BY id").fetchall(),
            "sources": db.execute("SELECT slug, title, text FROM evidence_source ORDER BY slug").fetchall(),
            "terms": db.execute("SELECT slug, term, definition FROM glossary_term ORDER BY slug").fetchall(),
            "links": db.execute("SELECT article_id, claim_id FROM articles_article_claims ORDER BY id").fetchall(),
        }


@pytest.mark.slow
@pytest.mark.django_db(transaction=False)
def test_an_import_killed_halfway_leaves_the_previous_content_intact(tmp_path):
    db_file = tmp_path / "site.sqlite3"
    manage(db_file, "migrate", "--noinput")
    manage(db_file, "loadcontent", "--path", str(settings.CONTENT_DIR))
    before = snapshot(db_file)
    assert len(before["articles"]) >= 5 and len(before["claims"]) >= 20

    bigger = tmp_path / "content"
    shutil.copytree(settings.CONTENT_DIR, bigger)
    first = sorted((bigger / "articles").glob("*.md"))[0]
    first.write_text(first.read_text().replace("\n---\n", f"\n---\n{EDIT}\n\n", 1))
    write_library(make_library(articles=80, claims=800, terms=30, sources=10, seed=7), bigger)

    journal = db_file.with_name(db_file.name + "-journal")
    held, tell = os.pipe()
    loader = manage(
        db_file,
        str(tell),
        EDIT,
        "loadcontent",
        "--path",
        str(bigger),
        program=("-c", HELD_AFTER_EDIT),
        pass_fds=(tell,),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    os.close(tell)
    try:
        # The loader says how many rows it wrote once it has written the edit; it says nothing if it ends first.
        assert select.select([held], [], [], 300)[0], "the import never wrote the edit"
        written = os.read(held, 100)
        assert written, f"the import ended before it was killed: {loader.communicate()}"
        assert journal.exists()  # SQLite keeps the journal while the import's transaction is open
        assert loader.poll() is None, "the import finished before it could be killed"
        loader.send_signal(signal.SIGKILL)
        loader.wait(timeout=30)
    finally:
        os.close(held)
        if loader.poll() is None:
            loader.kill()
            loader.wait()
    assert loader.returncode == -signal.SIGKILL

    assert snapshot(db_file) == before
    again = manage(db_file, "loadcontent", "--path", str(settings.CONTENT_DIR))
    counts = [line for line in again.stdout.splitlines() if "created" in line]
    assert counts and all(" 0 created, 0 updated" in line for line in counts), again.stdout
    assert "conflict" not in again.stderr
    assert snapshot(db_file) == before
