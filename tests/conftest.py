"""Shared helpers: small records in the database, and small content folders on disk."""

import datetime
import os
import socket
import subprocess
import tempfile
import textwrap
import time
from pathlib import Path

import pytest
from django.conf import settings

from carnk_site.articles.models import Article
from carnk_site.evidence.models import Citation, Claim, Source
from carnk_site.glossary.models import Term

SOURCE_TEXT = "NK cells were given to 11 patients. Eight of the 11 patients responded to treatment."


def make_source(**overrides):
    values = {
        "slug": "test-source",
        "short_name": "Test source",
        "kind": "Medical news article",
        "teller": "news-report",
        "interests": "Sells nothing.",
        "text": SOURCE_TEXT,
    }
    values.update(overrides)
    return Source.objects.create(**values)


def make_claim(slug="test-claim", source=None, quote="Eight of the 11 patients responded", **overrides):
    values = {"statement": "In a small trial, 8 of 11 people responded.", "evidence": "phase-1", "participants": 11}
    values.update(overrides)
    claim = Claim.objects.create(slug=slug, **values)
    Citation.objects.create(claim=claim, source=source or Source.objects.first() or make_source(), quote=quote)
    return claim


def make_term(slug="natural-killer-cell", term="Natural killer cell", aliases="NK cell", **overrides):
    t = Term(slug=slug, term=term, aliases=aliases, definition="A white blood cell that kills sick cells.", **overrides)
    t.save()
    return t


def make_article(slug="test-article", **overrides):
    values = {
        "title": "A test article",
        "summary": "What this test is about.",
        "order": 1,
        "status": Article.Status.PUBLISHED,
        "last_reviewed": datetime.date(2026, 11, 21),
        "next_review_due": datetime.date(2027, 5, 21),
        "body": "Plain text.",
    }
    values.update(overrides)
    article = Article(slug=slug, **values)
    article.save()
    return article


SMALL_CONTENT = {
    "sources/news.md": """\
        ---
        id: news
        title: A news story
        short_name: News story
        publisher: ''
        author: ''
        date: ''
        kind: Medical news article
        commercial: false
        teller: news-report
        interests: A news site that sells nothing.
        ---
        NK cells were given to 11 patients. Eight of the 11 patients responded to treatment.
        """,
    "claims/eight-of-eleven.yaml": """\
        id: eight-of-eleven
        statement: In a small trial, 8 of 11 people responded.
        statement_kind: finding
        about: car-nk
        evidence: phase-1
        participants: 11
        citations:
        - source: news
          quote: Eight of the 11 patients responded
        """,
    "glossary/nk-cell.md": """\
        ---
        id: nk-cell
        term: NK cell
        aliases:
        - natural killer cell
        definition: A white blood cell that kills sick cells.
        ---
        """,
    "articles/first.md": """\
        ---
        id: first
        title: First article
        summary: A short test article.
        order: 1
        status: published
        last_reviewed: 2026-11-21
        next_review_due: 2027-05-21
        key_points:
        - It is a test.
        - It is short.
        - It is plain.
        ---
        A natural killer cell is a white blood cell.

        [8 of 11 people responded](claim:eight-of-eleven).

        ## What we don't know yet

        How long it lasts.
        """,
}


SMALL_CONTENT = {name: textwrap.dedent(text) for name, text in SMALL_CONTENT.items()}


def write_content(root, files=None, **changes):
    """Write a small valid content folder to root; `changes` replaces or adds files by relative path."""
    files = {**SMALL_CONTENT, **(files or {})}
    for name, text in changes.items():
        files[name.replace("__", "/").replace("_yaml", ".yaml").replace("_md", ".md")] = text
    for name, text in files.items():
        if text is None:
            continue
        path = Path(root) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return Path(root)


@pytest.fixture
def small_content(tmp_path):
    return write_content(tmp_path / "content")


def _all_rows():
    """Return {model: sorted rows} for every table Django manages, and the row count of every other table."""
    from django.apps import apps
    from django.db import connection

    rows = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            names = [field.attname for field in model._meta.concrete_fields]
            rows[model] = sorted(model._base_manager.values_list(*names), key=repr)
    known = {model._meta.db_table for model in rows}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table not in known:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
                rows[table] = cursor.fetchone()[0]
    return rows


@pytest.fixture(scope="session")
def shipped_content_rows(django_db_setup, django_db_blocker):
    """Load the shipped content/ once per run (once per xdist worker) and keep the rows it wrote.

    The load runs in a transaction that is rolled back, so the database stays empty for every other
    test; `site_content` writes the kept rows back inside each test's own transaction.
    """
    from django.db import transaction

    from carnk_site.content_files.importer import import_content

    with django_db_blocker.unblock(), transaction.atomic():
        before = _all_rows()
        import_content(settings.CONTENT_DIR)
        after = _all_rows()
        written = {}
        for key, now in after.items():
            if now == before[key]:
                continue
            if not isinstance(key, type) or before[key]:
                pytest.fail(
                    f"Loading content/ changed {key} that held rows before it (or is not a model table): "
                    "site_content can only restore rows added to empty model tables; load it per test instead."
                )
            written[key] = ([field.attname for field in key._meta.concrete_fields], now)
        transaction.set_rollback(True)
    return written


@pytest.fixture
def site_content(db, shipped_content_rows):
    """The real, shipped content/ folder, loaded: the rows its import writes, as that import left them.

    The import runs once per run (shipped_content_rows); each test gets the same rows written again in
    its own transaction, in a few queries, instead of a 0.5 s import. The rows are written raw, as
    loaddata does: no signals, and dates such as auto_now keep the values the import gave them. What
    differs from importing inside the test: no publishing commit callbacks are pending afterwards (they
    never run inside a test's transaction unless a test captures them, and none using this does).
    """
    from django.core.management.color import no_style
    from django.db import connection

    for model, (names, rows) in shipped_content_rows.items():
        fields = model._meta.concrete_fields
        objs = [model(**dict(zip(names, row, strict=True))) for row in rows]
        size = connection.ops.bulk_batch_size(fields, objs) or len(objs)
        for start in range(0, len(objs), size):
            model._base_manager._insert(objs[start : start + size], fields=fields, raw=True)
    with connection.cursor() as cursor:  # PostgreSQL: new rows in the test get ids after the written ones
        for sql in connection.ops.sequence_reset_sql(no_style(), list(shipped_content_rows)):
            cursor.execute(sql)


PUBLISHABLE_BODY = "New words: [8 of 11 people responded](claim:test-claim).\n\n## What we don't know yet\n\nA lot.\n"
PUBLISHABLE_POINTS = "It is early.\nIt is experimental.\nTrials are small."


def article_form(article, **changes):
    """Return the admin change-form data for an article as an editor who just opened it would send."""
    data = {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "status": article.status,
        "order": article.order,
        "last_reviewed": str(article.last_reviewed),
        "next_review_due": str(article.next_review_due),
        "key_points": article.key_points,
        "body": article.body,
        "change_note": "",
        "seen_edit_token": article.edit_token,
    }
    data.update(changes)
    return data


def approve(article, **changes):
    """Record a clinical reviewer's approval of the text the article will have after `changes`."""
    from django.contrib.auth.models import User

    from carnk_site.review.models import Approval, ReviewerProfile
    from carnk_site.review.signoff import READER_FIELDS, content_hash

    reviewer = ReviewerProfile.objects.first() or ReviewerProfile.objects.create(
        user=User.objects.create_user("test-reviewer"), display_name="Dr Test Reviewer", role="Test role"
    )
    text = {name: getattr(article, name) for name in READER_FIELDS} | changes
    return Approval.objects.create(article=article, reviewer=reviewer, content_hash=content_hash(text))


@pytest.fixture(autouse=True)
def fresh_content_version():
    """Start each test as a worker that has just read the content version: module state must not leak."""
    from carnk_site.caching import local, version

    version._seen.update(value=None, at=version._now())
    version._remembered.clear()
    local.clear()
    yield


def role_group(name):
    """Return the Writer or Clinical reviewer group, made again if a live-server test flushed the migration's rows."""
    from django.contrib.auth.models import Group, Permission

    from carnk_site.review.roles import REVIEWERS_GROUP, grant_editor_permissions, grant_reviewer_permissions

    group, made = Group.objects.get_or_create(name=name)
    if made:
        (grant_reviewer_permissions if name == REVIEWERS_GROUP else grant_editor_permissions)(group, Permission)
    return group


def clinical_reviewer(username="clinical-reviewer"):
    """Return a clinical reviewer able to approve (group and profile), made on first use."""
    from django.contrib.auth.models import User

    from carnk_site.review.models import ReviewerProfile
    from carnk_site.review.roles import REVIEWERS_GROUP

    user, made = User.objects.get_or_create(username=username, defaults={"is_staff": True})
    if made:
        user.groups.add(role_group(REVIEWERS_GROUP))
        ReviewerProfile.objects.create(user=user, display_name="Dr Test Reviewer", role="Consultant haematologist")
    return User.objects.get(pk=user.pk)  # permissions are cached per instance


def publish_change(writer_client, article, **changes):
    """Save a change to a published article in the admin, submit it, and have a clinical reviewer approve it."""
    from django.urls import reverse

    from carnk_site.review import moderation
    from carnk_site.review.models import Revision

    article.refresh_from_db()
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = writer_client.post(url, article_form(article, _submit="1", **changes))
    assert response.status_code == 302, response.content.decode()[-3000:]
    revision = Revision.objects.open().get(article=article)
    moderation.approve(revision, clinical_reviewer(), seen_token=revision.edit_token)
    article.refresh_from_db()
    return response


def start_redis_server(server, port, *options, timeout=10):
    """Start a throwaway redis-server on 127.0.0.1:port; return the process once it accepts connections.

    Redis says when it is ready: under `--supervised systemd` it sends READY=1 to the datagram socket
    named by NOTIFY_SOCKET, as systemd units use it. Waiting for that message is waiting for the event
    itself, with no polling of the port.
    """
    with tempfile.TemporaryDirectory() as folder, socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as notify:
        notify.bind(os.path.join(folder, "notify"))
        process = subprocess.Popen(
            [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
            + [*options, "--supervised", "systemd"],
            env={**os.environ, "NOTIFY_SOCKET": notify.getsockname()},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        try:
            while True:
                notify.settimeout(max(deadline - time.monotonic(), 0.001))
                if b"READY=1" in notify.recv(4096).splitlines():
                    return process
        except TimeoutError:
            process.kill()
            process.wait()
            pytest.fail(f"redis-server did not say READY=1 within {timeout} s (exit code {process.returncode})")
