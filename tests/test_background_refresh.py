"""A change that affects many articles commits at once and re-renders them after the response."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from carnk_site.articles.models import Article
from carnk_site.caching import version
from carnk_site.glossary.models import Term
from carnk_site.publishing import background
from carnk_site.publishing.models import RefreshJob

from .conftest import make_article, make_term

pytestmark = pytest.mark.django_db

LINK = 'data-term="natural-killer-cell"'


@pytest.fixture
def three_articles(django_capture_on_commit_callbacks):
    """Three published articles that each link the glossary term 'Natural killer cell'."""
    with django_capture_on_commit_callbacks(execute=True):
        make_term(aliases="")
        return [make_article(f"article-{n}", body="A natural killer cell is a white blood cell.") for n in range(3)]


@pytest.fixture
def started(settings, monkeypatch):
    """Let two articles render in the request; record thread starts instead of starting threads."""
    settings.PUBLISHING_IN_REQUEST_MAX_ARTICLES = 2
    settings.PUBLISHING_IN_BACKGROUND = True
    calls = []
    monkeypatch.setattr(background.threading, "Thread", lambda **kwargs: calls.append(kwargs) or _NotStarted())
    return calls


class _NotStarted:
    def start(self):
        pass


def rename(term, name, capture):
    with capture(execute=True):
        term.term = name
        term.save()


def test_a_rename_over_the_limit_saves_at_once_and_leaves_the_articles_to_a_job(
    three_articles, started, django_capture_on_commit_callbacks
):
    rename(Term.objects.get(), "NK lymphocyte", django_capture_on_commit_callbacks)

    assert Term.objects.get().term == "NK lymphocyte"  # the editor's change is saved
    assert all(LINK in a.body_html for a in Article.objects.all())  # not yet re-rendered in the request
    job = RefreshJob.objects.get()
    assert job.articles == sorted(a.pk for a in three_articles) and set(job.body_only) == set(job.articles)
    assert [kwargs["target"] for kwargs in started] == [background._run_in_thread]


def test_the_job_rerenders_every_article_in_chunks_and_bumps_the_cache_after_each(
    three_articles, started, django_capture_on_commit_callbacks, monkeypatch
):
    rename(Term.objects.get(), "NK lymphocyte", django_capture_on_commit_callbacks)
    monkeypatch.setattr(background, "CHUNK", 2)
    bumps = []
    monkeypatch.setattr(version, "bump", lambda: bumps.append(1))

    assert background.run_pending() == 3

    assert not any(LINK in a.body_html for a in Article.objects.all())  # "natural killer cell" is no name any more
    assert not Term.objects.get().articles.exists()
    assert len(bumps) == 2 and not RefreshJob.objects.exists()


def test_a_change_within_the_limit_is_rendered_in_the_request(
    three_articles, settings, django_capture_on_commit_callbacks
):
    settings.PUBLISHING_IN_REQUEST_MAX_ARTICLES = 3
    rename(Term.objects.get(), "NK lymphocyte", django_capture_on_commit_callbacks)
    assert not RefreshJob.objects.exists()
    assert not any(LINK in a.body_html for a in Article.objects.all())


def test_a_job_whose_process_died_is_taken_up_again_but_a_running_one_is_left_alone(three_articles):
    ids = [a.pk for a in three_articles]
    running = RefreshJob.objects.create(articles=ids[:1], claimed_at=timezone.now(), heartbeat_at=timezone.now())
    long_ago = timezone.now() - background.stale_after() - datetime.timedelta(seconds=1)
    abandoned = RefreshJob.objects.create(articles=ids[1:], claimed_at=long_ago, heartbeat_at=long_ago)
    assert background.run_pending() == 2
    assert list(RefreshJob.objects.values_list("pk", flat=True)) == [running.pk]
    assert not RefreshJob.objects.filter(pk=abandoned.pk).exists()


def test_publishpending_finishes_what_a_stopped_process_left(three_articles):
    Article.objects.filter(pk=three_articles[0].pk).update(body_html="<p>stale</p>")
    RefreshJob.objects.create(articles=[three_articles[0].pk])
    out = io.StringIO()
    call_command("publishpending", stdout=out)
    assert "1 articles were waiting; 1 re-rendered." in out.getvalue()
    assert LINK in Article.objects.get(pk=three_articles[0].pk).body_html


def test_the_job_never_renews_edit_tokens_or_overwrites_an_editors_text(
    three_articles, started, django_capture_on_commit_callbacks
):
    tokens = dict(Article.objects.values_list("pk", "edit_token"))
    rename(Term.objects.get(), "NK lymphocyte", django_capture_on_commit_callbacks)
    with transaction.atomic():  # an editor saves one of the articles before the job runs
        article = Article.objects.get(pk=three_articles[0].pk)
        article.body = "An NK lymphocyte, in the editor's new words."
        article.save()
    background.run_pending()
    assert Article.objects.get(pk=article.pk).body == "An NK lymphocyte, in the editor's new words."
    others = Article.objects.exclude(pk=article.pk)
    assert all(a.edit_token == tokens[a.pk] for a in others)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the test database of SQLite is in memory: a second connection cannot wait",
)
@pytest.mark.django_db(transaction=True)
def test_a_real_thread_refreshes_the_articles_after_the_save_commits(settings):
    settings.PUBLISHING_IN_REQUEST_MAX_ARTICLES = 1
    settings.PUBLISHING_IN_BACKGROUND = True
    term = make_term(aliases="")
    for n in range(3):
        make_article(f"article-{n}", body="A natural killer cell is a white blood cell.")
    threads = []
    original = background.threading.Thread

    def keep(**kwargs):
        threads.append(original(**kwargs))
        return threads[-1]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(background.threading, "Thread", keep)
        term.term = "NK lymphocyte"
        term.save()  # autocommit: publishes at once
        for thread in threads:
            thread.join(timeout=60)
    assert threads and not RefreshJob.objects.exists()
    assert not any(LINK in a.body_html for a in Article.objects.all())


@pytest.mark.django_db(transaction=True)
def test_the_editor_is_told_the_pages_are_being_updated(admin_client, started):
    term = make_term(aliases="")
    for n in range(3):
        make_article(f"article-{n}", body="A natural killer cell is a white blood cell.")
    data = {
        "slug": term.slug,
        "term": "NK lymphocyte",
        "aliases": "",
        "definition": term.definition,
        "explanation": term.explanation,
        "seen_edit_token": term.edit_token,
    }
    response = admin_client.post(reverse("admin:glossary_term_change", args=[term.pk]), data, follow=True)
    assert Term.objects.get().term == "NK lymphocyte"
    assert "3 articles that use it are being updated now" in response.content.decode()
