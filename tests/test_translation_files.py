"""Translations as content files (content/<language>/...): loaded with the loader's rules, exported back unchanged."""

from io import StringIO

import pytest
from django.core.management import call_command

from carnk_site.content_files.exporter import export_content
from carnk_site.content_files.importer import InvalidContent, import_content
from carnk_site.translations.models import ArticleTranslation, ClaimTranslation, TermTranslation
from tests.conftest import write_content

pytestmark = pytest.mark.django_db

ARTICLE_ZH = """\
---
id: first
method: Drafted with machine help by the editorial team
title: 第一篇文章
summary: 一篇简短的测试文章。
key_points:
- 这是一个测试。
---
自然杀伤细胞是一种白细胞。

[11人中有8人有反应](claim:eight-of-eleven)。
"""
CLAIM_HI = """\
id: eight-of-eleven
statement: एक छोटे परीक्षण में 11 में से 8 लोगों पर असर हुआ।
"""
TERM_ZH = """\
---
id: nk-cell
name: NK细胞
definition: 一种能杀死生病细胞的白细胞。
---
"""


def folder(tmp_path, **files):
    return write_content(
        tmp_path / "content",
        {
            "zh-hans/articles/first.md": ARTICLE_ZH,
            "hi/claims/eight-of-eleven.yaml": CLAIM_HI,
            "zh-hans/glossary/nk-cell.md": TERM_ZH,
            **files,
        },
    )


def load(root):
    out = StringIO()
    call_command("loadcontent", "--path", str(root), stdout=out)
    return out.getvalue()


def test_translation_files_load_render_and_round_trip(tmp_path):
    root = folder(tmp_path)
    output = load(root)
    assert "translations: 3 created, 0 updated, 0 unchanged" in output
    article = ArticleTranslation.objects.get(language="zh-hans")
    assert article.title == "第一篇文章" and article.is_current and not article.is_approved
    assert 'href="/zh-hans/sources/news/?claim=eight-of-eleven#cite-eight-of-eleven-1"' in article.body_html
    assert ClaimTranslation.objects.get(language="hi").statement.startswith("एक छोटे")
    assert TermTranslation.objects.get().name == "NK细胞"
    exported = tmp_path / "exported"
    export_content(exported)
    again = (exported / "zh-hans/articles/first.md").read_text()
    assert "english_version: " + article.english_hash in again and "第一篇文章" in again
    assert "translations: 0 created, 0 updated, 3 unchanged" in load(exported)


def test_a_changed_translation_file_withdraws_the_approval(tmp_path):
    from carnk_site.review.models import ReviewerProfile
    from carnk_site.translations.models import LanguageReviewer
    from tests.conftest import clinical_reviewer

    root = folder(tmp_path)
    load(root)
    profile = ReviewerProfile.objects.get(user=clinical_reviewer())
    LanguageReviewer.objects.create(reviewer=profile, language="zh-hans")
    ArticleTranslation.objects.get().approve(profile)
    assert ArticleTranslation.objects.published().count() == 1
    (root / "zh-hans/articles/first.md").write_text(ARTICLE_ZH.replace("第一篇文章", "第一篇"))
    assert "translations: 0 created, 1 updated, 2 unchanged" in load(root)
    assert ArticleTranslation.objects.published().count() == 0


def test_admin_edit_is_kept_as_a_conflict(tmp_path):
    root = folder(tmp_path)
    load(root)
    t = ArticleTranslation.objects.get()
    t.title = "编辑在后台改的标题"
    t.save()
    (root / "zh-hans/articles/first.md").write_text(ARTICLE_ZH.replace("第一篇文章", "文件里的标题"))
    output = load(root)
    assert "translations: 0 created, 0 updated, 2 unchanged, 1 conflicts" in output
    assert ArticleTranslation.objects.get().title == "编辑在后台改的标题"


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("zh-hans/articles/first.md", ARTICLE_ZH.replace("id: first", "id: nothing-like-it"), "no such record"),
        ("zh-hans/articles/first.md", ARTICLE_ZH.replace("claim:eight-of-eleven", "claim:not-a-claim"), "not-a-claim"),
        ("hi/claims/eight-of-eleven.yaml", CLAIM_HI + "evidence: phase-3\n", "unknown field 'evidence'"),
        ("hi/claims/eight-of-eleven.yaml", "id: eight-of-eleven\n", "'statement' is required"),
        ("zh-hans/glossary/nk-cell.md", TERM_ZH.replace("name: NK细胞", "name: " + "长" * 151), "at most 150"),
        ("hi/claims/eight-of-eleven.yaml", "a: &x [1]\nb: *x\n", "alias"),
    ],
)
def test_bad_translation_file_names_the_problem_and_changes_nothing(tmp_path, name, text, message):
    root = folder(tmp_path, **{name: text})
    with pytest.raises(InvalidContent) as refused:
        import_content(root)
    assert message in str(refused.value) and name.split("/")[-1] in str(refused.value)
    assert not ArticleTranslation.objects.exists() and not ClaimTranslation.objects.exists()
