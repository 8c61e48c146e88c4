"""`loadcontent --force` replaces the files' past, never an editor's present: open or just-saved records are kept."""

import datetime

import pytest
import reversion
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from carnk_site.articles.models import Article
from carnk_site.content_files import importer
from carnk_site.content_files.importer import import_content
from carnk_site.editorial.models import EditingPresence

pytestmark = pytest.mark.django_db


@pytest.fixture
def edited_in_admin(small_content):
    """The small content loaded, then its article edited in the admin, and renamed in its file."""
    import_content(small_content)
    article = Article.objects.get(slug="first")
    article.body += "\nAn editor's sentence."
    article.save()
    path = small_content / "articles/first.md"
    path.write_text(path.read_text().replace("First article", "Renamed in the file"))
    return small_content, article


def editor_has_open(article, seen_ago):
    now = timezone.now()
    EditingPresence.objects.create(
        user=User.objects.create_user("editor-with-it-open"),
        content_type=ContentType.objects.get_for_model(article),
        object_id=str(article.pk),
        opened=now - seen_ago,
        seen=now - seen_ago,
    )


def test_force_leaves_a_record_an_editor_has_open(edited_in_admin):
    content, article = edited_in_admin
    editor_has_open(article, seen_ago=datetime.timedelta(seconds=20))
    report = import_content(content, force=True)
    article.refresh_from_db()
    assert article.title == "First article" and "An editor's sentence." in article.body
    assert len(report.conflicts) == 1 and "editor-with-it-open has it open in the admin" in report.conflicts[0]


def test_force_replaces_a_record_whose_editor_has_gone(edited_in_admin):
    content, article = edited_in_admin
    editor_has_open(article, seen_ago=datetime.timedelta(minutes=3))  # four heartbeats missed
    report = import_content(content, force=True)
    article.refresh_from_db()
    assert article.title == "Renamed in the file" and not report.conflicts


def test_force_leaves_a_record_saved_in_the_admin_after_the_load_began(edited_in_admin, monkeypatch):
    content, article = edited_in_admin
    real_read = importer.read_content

    def read_while_an_editor_saves(root):
        files = real_read(root)  # reading and checking every file takes seconds on the real library
        with reversion.create_revision():
            saved = Article.objects.get(pk=article.pk)
            saved.summary = "Saved by an editor while the load was reading files."
            saved.save()
            reversion.set_comment("An editor's change")
        return files

    monkeypatch.setattr(importer, "read_content", read_while_an_editor_saves)
    report = import_content(content, force=True)
    article.refresh_from_db()
    assert article.summary == "Saved by an editor while the load was reading files."
    assert article.title == "First article"
    assert "saved in the admin after this load began" in report.conflicts[0]
