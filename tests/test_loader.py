"""loadcontent: checks everything first, writes in one transaction, and reports counts."""

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from carnk_site.articles.models import Article
from carnk_site.evidence.models import Citation, Claim, Source
from carnk_site.glossary.models import Term

from .conftest import SMALL_CONTENT, write_content

pytestmark = pytest.mark.django_db


def snapshot():
    """Return every row the loader could touch, to prove a failed load changed nothing."""
    return [list(m.objects.order_by("pk").values()) for m in (Source, Term, Claim, Citation, Article)]


def load(path, *args):
    from io import StringIO

    out = StringIO()
    call_command("loadcontent", "--path", str(path), *args, stdout=out)
    return out.getvalue()


def test_loads_small_content_and_reports_counts(small_content):
    output = load(small_content)
    assert "sources: 1 created, 0 updated, 0 unchanged" in output
    assert "claims: 1 created, 0 updated, 0 unchanged" in output
    assert "articles: 1 created, 0 updated, 0 unchanged" in output
    article = Article.objects.get(slug="first")
    assert 'data-claim="eight-of-eleven"' in article.body_html
    assert list(article.claims.values_list("slug", flat=True)) == ["eight-of-eleven"]
    assert list(article.sources.values_list("slug", flat=True)) == ["news"]


def test_second_run_changes_nothing(small_content):
    load(small_content)
    before = snapshot()
    output = load(small_content)
    assert "articles: 0 created, 0 updated, 1 unchanged" in output
    assert "claims: 0 created, 0 updated, 1 unchanged" in output
    assert snapshot() == before


def test_changed_file_counts_as_updated(small_content):
    load(small_content)
    path = small_content / "claims/eight-of-eleven.yaml"
    path.write_text(path.read_text().replace("evidence: phase-1", "evidence: phase-1-2"))
    output = load(small_content)
    assert "claims: 0 created, 1 updated, 0 unchanged" in output
    assert 'data-evidence="phase-1-2"' in Article.objects.get(slug="first").body_html


def test_shipped_content_loads_twice_without_change():
    load(settings.CONTENT_DIR)
    before = snapshot()
    output = load(settings.CONTENT_DIR)
    assert " 0 created, 0 updated" in output and "re-rendered" not in output
    assert snapshot() == before
    assert Article.objects.published().count() >= 3


BAD_INPUTS = {
    "malformed front matter": (
        {"articles/first.md": "---\nid: first\ntitle: First\nsummary: one: two\n---\nBody\n"},
        "articles/first.md, line 4: malformed front matter: mapping values are not allowed",
    ),
    "front matter not closed": (
        {"glossary/nk-cell.md": "---\nid: nk-cell\nterm: NK cell\n"},
        "glossary/nk-cell.md, line 1",
    ),
    "duplicate id": (
        {"claims/copy.yaml": SMALL_CONTENT["claims/eight-of-eleven.yaml"]},
        "duplicate id 'eight-of-eleven'",
    ),
    "unknown evidence level": (
        {"claims/eight-of-eleven.yaml": SMALL_CONTENT["claims/eight-of-eleven.yaml"].replace("phase-1", "phase-9")},
        "claims/eight-of-eleven.yaml, line 5 (evidence): unknown value 'phase-9'",
    ),
    "article refers to a missing claim": (
        {
            "articles/first.md": SMALL_CONTENT["articles/first.md"].replace(
                "claim:eight-of-eleven", "claim:no-such-claim"
            )
        },
        "articles/first.md, line 16: refers to unknown claim 'no-such-claim'",
    ),
    "article refers to a missing term": (
        {"articles/first.md": SMALL_CONTENT["articles/first.md"] + "\n[CRS](term:no-such-term)\n"},
        "refers to unknown term 'no-such-term'",
    ),
    "citation of an unknown source": (
        {
            "claims/eight-of-eleven.yaml": SMALL_CONTENT["claims/eight-of-eleven.yaml"].replace(
                "source: news", "source: nowhere"
            )
        },
        "claims/eight-of-eleven.yaml, line 8 (citations[0].source): cites unknown source 'nowhere'",
    ),
    "quote not verbatim": (
        {
            "claims/eight-of-eleven.yaml": SMALL_CONTENT["claims/eight-of-eleven.yaml"].replace(
                "Eight of the 11", "Eight out of 11"
            )
        },
        "claims/eight-of-eleven.yaml, line 9 (citations[0].quote): quote not found word for word in source 'news'",
    ),
    "missing required field": (
        {"articles/first.md": SMALL_CONTENT["articles/first.md"].replace("summary: A short test article.\n", "")},
        "'summary' is required",
    ),
}


@pytest.mark.parametrize("case", BAD_INPUTS)
def test_bad_input_names_the_problem_and_changes_nothing(tmp_path, small_content, case):
    load(small_content)
    before = snapshot()
    files, message = BAD_INPUTS[case]
    broken = write_content(tmp_path / "broken", files)
    with pytest.raises(CommandError) as error:
        load(broken)
    assert message in str(error.value)
    assert "nothing was written" in str(error.value)
    assert snapshot() == before


def test_bad_input_on_empty_database_writes_nothing(tmp_path):
    files = {"claims/eight-of-eleven.yaml": SMALL_CONTENT["claims/eight-of-eleven.yaml"].replace("phase-1", "bogus")}
    with pytest.raises(CommandError):
        load(write_content(tmp_path / "c", files))
    assert snapshot() == [[], [], [], [], []]


def test_quote_comparison_folds_only_whitespace_quote_marks_and_dashes(tmp_path):
    source = SMALL_CONTENT["sources/news.md"].replace(
        "Eight of the 11 patients", "Eight of the “11” patients \u2014 all"
    )
    claim = SMALL_CONTENT["claims/eight-of-eleven.yaml"].replace(
        "quote: Eight of the 11 patients responded", "quote: 'Eight of  the \"11\" patients - all'"
    )
    load(write_content(tmp_path / "c", {"sources/news.md": source, "claims/eight-of-eleven.yaml": claim}))
    assert Claim.objects.filter(slug="eight-of-eleven").exists()


def test_check_flag_writes_nothing(small_content):
    assert "valid" in load(small_content, "--check")
    assert snapshot() == [[], [], [], [], []]


def test_nul_character_is_refused_with_its_line(tmp_path):
    article = SMALL_CONTENT["articles/first.md"].replace("A natural killer cell", "A natural\x00 killer cell")
    with pytest.raises(CommandError) as error:
        load(write_content(tmp_path / "c", {"articles/first.md": article}))
    assert "articles/first.md, line 14: contains a NUL character" in str(error.value)


def test_text_longer_than_its_column_is_refused_by_name(tmp_path):
    source = SMALL_CONTENT["sources/news.md"].replace("short_name: News story", "short_name: " + "x" * 101)
    with pytest.raises(CommandError) as error:
        load(write_content(tmp_path / "c", {"sources/news.md": source}))
    assert "sources/news.md, line 4 (short_name): 'short_name' is 101 characters long; at most 100 fit" in str(
        error.value
    )


def test_each_further_claim_costs_one_query_however_many_citations_and_links(tmp_path, django_assert_max_num_queries):
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from carnk_site.content_files.importer import import_content
    from carnk_site.tooling.library import make_library, write_library

    def library(claims):
        return write_library(make_library(articles=10, claims=claims, terms=20, sources=5), tmp_path / str(claims))

    with CaptureQueriesContext(connection) as smaller, transaction.atomic():
        import_content(library(50))
        transaction.set_rollback(True)
    # 50 more claims: one INSERT each; their citations, and the articles' links to them, in the same statements.
    with django_assert_max_num_queries(len(smaller) + 50):
        import_content(library(100))
    assert Citation.objects.count() > 100
    assert Article.objects.get(slug="article-0000").claims.count() >= 10
