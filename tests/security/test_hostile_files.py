"""Hostile and clumsy content files: each gets a clear error naming file, line and field, and nothing is written."""

import os
import subprocess
import sys
import time

import pytest

from carnk_site.articles.models import Article
from carnk_site.content_files.importer import InvalidContent, import_content
from carnk_site.evidence.models import Source
from tests.conftest import SMALL_CONTENT, write_content

ARTICLE = SMALL_CONTENT["articles/first.md"]
CLAIM = SMALL_CONTENT["claims/eight-of-eleven.yaml"]
TERM = SMALL_CONTENT["glossary/nk-cell.md"]

BILLION_LAUGHS = """\
id: eight-of-eleven
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def refused(tmp_path, files, *needles, seconds=10):
    """Load the small content folder with files replaced; assert one clear error and nothing written."""
    root = write_content(tmp_path / "content", files)
    started = time.monotonic()
    with pytest.raises(InvalidContent) as caught:
        import_content(root)
    assert time.monotonic() - started < seconds
    message = str(caught.value)
    for needle in needles:
        assert needle in message, message
    assert not Source.objects.exists() and not Article.objects.exists()
    return message


@pytest.mark.django_db
def test_billion_laughs_is_refused_at_the_first_anchor(tmp_path):
    message = refused(tmp_path, {"claims/eight-of-eleven.yaml": BILLION_LAUGHS}, "eight-of-eleven.yaml, line 2")
    assert "anchors and aliases" in message


@pytest.mark.django_db
def test_a_duplicate_key_names_both_lines(tmp_path):
    claim = CLAIM.replace("evidence: phase-1\n", "evidence: phase-1\nevidence: approved\n")
    refused(tmp_path, {"claims/eight-of-eleven.yaml": claim}, "line 6 (evidence)", "also on line 5")


@pytest.mark.django_db
def test_an_id_with_a_trailing_newline_is_refused(tmp_path):
    claim = CLAIM.replace("id: eight-of-eleven", 'id: "eight-of-eleven\\n"')
    refused(tmp_path, {"claims/eight-of-eleven.yaml": claim}, "line 1 (id)", "lower-case letters")


@pytest.mark.django_db
def test_an_impossible_date_is_an_error_on_its_line(tmp_path):
    article = ARTICLE.replace("last_reviewed: 2026-11-21", "last_reviewed: 2026-02-30")
    refused(tmp_path, {"articles/first.md": article}, "first.md, line 7 (last_reviewed)", "not a real date")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "original", "hostile", "needle"),
    [
        ("articles/first.md", "order: 1", "order: 3000000000", "line 5 (order)"),
        ("claims/eight-of-eleven.yaml", "participants: 11", "participants: 99999999999", "line 6 (participants)"),
    ],
)
def test_numbers_too_large_for_the_database_are_refused(tmp_path, name, original, hostile, needle):
    refused(tmp_path, {name: SMALL_CONTENT[name].replace(original, hostile)}, needle, "2147483647")


@pytest.mark.django_db
def test_yaml_nested_five_thousand_deep_is_refused(tmp_path):
    claim = CLAIM + "deep: " + "[" * 5000 + "]" * 5000 + "\n"
    refused(tmp_path, {"claims/eight-of-eleven.yaml": claim}, "line 10", "nested more than")


@pytest.mark.django_db
def test_an_alias_of_two_thousand_characters_is_refused(tmp_path):
    term = TERM.replace("- natural killer cell", "- " + "natural killer cell " * 100)
    refused(tmp_path, {"glossary/nk-cell.md": term}, "line 5 (aliases[0])", "at most 100")


@pytest.mark.django_db
def test_a_body_of_deeply_nested_list_markers_loads(tmp_path):
    draft = ARTICLE.replace("status: published", "status: draft")  # a published one must also pass the checks
    import_content(write_content(tmp_path / "content", {"articles/first.md": draft + "\n" + "1. " * 600 + "\n"}))
    assert "<ol>" in Article.objects.get().body_html


@pytest.mark.django_db
def test_a_body_longer_than_the_limit_is_refused(tmp_path):
    refused(tmp_path, {"articles/first.md": ARTICLE + "\n" + "Plain words. " * 4000}, "first.md, line 14 (body)")


@pytest.mark.django_db
def test_a_folder_named_like_a_file_is_refused(tmp_path):
    root = write_content(tmp_path / "content")
    (root / "articles" / "folder.md").mkdir()
    with pytest.raises(InvalidContent, match=r"folder\.md: is a folder"):
        import_content(root)
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_a_symlink_leaving_the_content_folder_is_refused(tmp_path):
    root = write_content(tmp_path / "content")
    outside = tmp_path / "elsewhere.md"
    outside.write_text(ARTICLE.replace("id: first", "id: second"))
    (root / "articles" / "second.md").symlink_to(outside)
    with pytest.raises(InvalidContent, match=r"second\.md: is a link to a file outside"):
        import_content(root)
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_a_source_over_its_size_limit_is_refused_before_it_is_read(tmp_path):
    root = write_content(tmp_path / "content")
    huge = root / "sources" / "huge.md"
    with huge.open("wb") as f:  # sparse: 100 MB on paper, nothing on disk
        f.truncate(100_000_000)
    with pytest.raises(InvalidContent, match=r"huge\.md: is 100,000,000 bytes; at most 2,000,000"):
        import_content(root)
    assert not Source.objects.exists()


def test_a_named_pipe_is_refused_without_hanging(tmp_path):
    """Run loadcontent --check in a child process: a hang would otherwise hang the test run."""
    root = write_content(tmp_path / "content")
    os.mkfifo(root / "articles" / "pipe.md")
    env = {**os.environ, "DJANGO_DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    result = subprocess.run(
        [sys.executable, "manage.py", "loadcontent", "--check", "--path", str(root)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert result.returncode != 0
    assert "pipe.md: is not a regular file" in result.stdout + result.stderr
