"""loadcontent and an editor's save at the same moment, on PostgreSQL: neither overwrites the other."""

import threading

import pytest
from django.db import connection, transaction

from carnk_site.articles.models import Article
from carnk_site.content_files.importer import import_content

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs row locks: SQLite locks the whole file"),
]


def in_thread(target, *args):
    """Run target in its own thread and database connection; return (thread, result holder)."""
    result = {}

    def run():
        try:
            result["value"] = target(*args)
        except Exception as exc:  # surfaced by the test's assertions
            result["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, result


def test_an_editor_saving_while_loadcontent_runs_keeps_their_text(small_content):
    import_content(small_content)
    path = small_content / "articles/first.md"
    path.write_text(path.read_text().replace("A short test article.", "Summary from the file."))
    editor_holds_the_row, loader_may_finish = threading.Event(), threading.Event()

    def editor():
        with transaction.atomic():
            article = Article.objects.select_for_update().get(slug="first")  # as the admin form's clean does
            article.summary = "Summary from the editor."
            article.save()
            editor_holds_the_row.set()
            loader_may_finish.wait(10)  # the loader plans, then waits on the row lock until this commits

    editor_thread, editor_result = in_thread(editor)
    assert editor_holds_the_row.wait(10)
    loader_thread, loader_result = in_thread(import_content, small_content)
    loader_thread.join(1.5)
    assert loader_thread.is_alive(), "the loader must wait for the editor's row lock"
    loader_may_finish.set()
    editor_thread.join(10)
    loader_thread.join(20)
    assert "error" not in editor_result and "error" not in loader_result, (editor_result, loader_result)
    assert Article.objects.get(slug="first").summary == "Summary from the editor."
    assert any("first" in c for c in loader_result["value"].conflicts)


def test_many_editor_saves_during_many_loads_lose_nothing(small_content):
    import_content(small_content)
    path = small_content / "articles/first.md"
    saved = []

    def editor():
        for i in range(15):
            with transaction.atomic():
                article = Article.objects.select_for_update().get(slug="first")
                article.summary = f"Editor summary {i}."
                article.save()
            saved.append(article.summary)

    def loader():
        reports = []
        for i in range(5):
            path.write_text(path.read_text().replace("summary: ", f"summary: File {i} ", 1))
            reports.append(import_content(small_content))
        return reports

    threads = [in_thread(editor), in_thread(loader)]
    for thread, _ in threads:
        thread.join(60)
    assert all("error" not in result for _, result in threads), [r for _, r in threads]
    final = Article.objects.get(slug="first").summary
    # Once an editor saved, every later load sees an admin edit (a conflict): the last save stands.
    assert final == saved[-1], final
