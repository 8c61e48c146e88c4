"""The search pipeline and index: cleaning, synonyms, spellings, typos, what is indexed and when it refreshes."""

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carnk_site.articles.models import Article
from carnk_site.content_files.importer import import_content
from carnk_site.glossary.models import Term
from carnk_site.search import engines, index
from carnk_site.search.extract import sections
from carnk_site.search.models import SearchDocument, SearchWord, SynonymGroup
from carnk_site.search.query import plan
from carnk_site.search.search import search
from carnk_site.search.text import edit_distance, normalise, spelling_variants

from .conftest import make_article, make_claim, make_term

LAY = ["colon cancer, bowel cancer, colorectal cancer", "cost, price, how much", "Acute lymphoblastic leukaemia, ALL"]


def phrases(query, groups=LAY, near=None):
    return [sorted(c.phrases) for c in plan(query, groups, near).concepts]


def test_control_characters_are_cleaned_and_queries_cut_at_100():
    assert normalise("  car\x00nk \t\n cells\x1b ") == ("car nk cells", False)
    assert normalise("\u200b\u202e") == ("", False)
    cut, was_cut = normalise("word " * 40)
    assert was_cut and len(cut) <= 100 and cut.endswith("word")


def test_question_and_stop_words_drop_and_phrases_become_their_synonyms():
    assert phrases("does it work for colon cancer") == [["bowel cancer", "colon cancer", "colorectal cancer"]]
    assert phrases("how much is it") == [["cost", "price"]]  # "how much" alone would match every page
    assert phrases("how car-nk works") == [["car"], ["nk"], ["works"]]


def test_names_in_capitals_only_match_in_capitals():
    assert phrases("is ALL common") == [["acute lymphoblastic leukaemia", "acute lymphoblastic leukemia"], ["common"]]
    assert phrases("is all common") == [["common"]]


def test_spellings_go_both_ways():
    assert spelling_variants("leukemia") == ("leukaemia",)
    assert spelling_variants("tumours") == ("tumors",)
    assert spelling_variants("oesophageal") == ("esophageal",)
    assert spelling_variants("randomized") == ("randomised",)
    assert spelling_variants("cells") == ()


def test_typos_are_corrected_from_the_vocabulary_and_known_words_are_kept():
    near = {"theraphy": [("therapy", 12), ("therapies", 3)], "cells": [("cells", 40), ("cell", 30)]}
    steps = plan("theraphy cells", [], near)
    assert [c.phrases for c in steps.concepts] == [["therapy"], ["cells"]]
    assert steps.corrected_query == "therapy cells"
    assert plan("zzqx", [], {"zzqx": [("zebra", 1)]}).corrections == {}
    assert edit_distance("gvdh", "gvhd") == 1


def test_an_unknown_short_form_finds_its_longer_forms_not_a_typo():
    steps = plan("safe", [], {"safe": [("same", 50), ("safer", 2), ("safety", 9)]})
    assert steps.concepts[0].phrases == ["safe", "safer", "safety"] and not steps.corrections


@pytest.mark.django_db
def test_only_an_unknown_word_brings_the_vocabulary_near_it():
    SearchWord.objects.bulk_create(
        SearchWord(word=w, documents=n) for w, n in (("tumour", 5), ("tumours", 2), ("therapy", 9), ("theory", 1))
    )
    _groups, near, _intents = engines.current().lexicon(["tumor", "theraphy"])
    assert near["tumor"] == [("tumour", 5)]  # known in its other spelling: nothing to correct
    assert {"therapy", "theory"} <= {w for w, _n in near["theraphy"]}


@pytest.mark.django_db
def test_articles_are_indexed_by_section_with_anchors_and_drafts_are_not():
    make_claim("cord", statement="Cord blood gives NK cells.")
    make_article(
        slug="sources", title="Where cells come from", body="Intro.\n\n## Cord blood\n\nFrom [cord blood](claim:cord)."
    )
    make_claim("secret", statement="A secret finding.")
    make_article(slug="draft", title="Secret draft", status=Article.Status.DRAFT, body="[x](claim:secret)")
    index.refresh()
    rows = {(d.kind, d.key, d.position): d for d in SearchDocument.objects.all()}
    assert set(rows) == {("article", "sources", 0), ("article", "sources", 1), ("claim", "cord", 0)}
    section = rows["article", "sources", 1]
    assert (section.heading, section.url) == ("Cord blood", "/articles/sources/#cord-blood")
    assert section.text_c == "From cord blood."  # the evidence tag after the claim is left out
    assert search("secret").total == 0
    assert [p.url for p in search("cord blood").pages] == ["/articles/sources/#cord-blood"]
    assert SearchWord.objects.filter(word="cord").exists()


@pytest.mark.django_db
def test_unpublishing_an_article_removes_it_and_its_claims(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_claim("cord", statement="Cord blood gives NK cells.")
        article = make_article(slug="sources", body="From [cord blood](claim:cord).")
    assert search("cord").total == 2
    with django_capture_on_commit_callbacks(execute=True):
        article.status = Article.Status.DRAFT
        article.save()
    assert search("cord").total == 0
    assert not SearchDocument.objects.exists()


@pytest.mark.django_db
def test_an_import_refreshes_the_index_once(small_content, monkeypatch, django_capture_on_commit_callbacks):
    calls = []
    real = index.refresh
    monkeypatch.setattr(index, "refresh", lambda **keys: calls.append(keys) or real(**keys))
    with django_capture_on_commit_callbacks(execute=True):
        import_content(small_content)
    assert len(calls) == 1
    assert len(calls[0]["articles"]) == 1 and len(calls[0]["claims"]) == 1 and len(calls[0]["terms"]) == 1
    found = search("natural killer")
    assert ([p.key for p in found.articles], [p.key for p in found.terms]) == (["first"], ["nk-cell"])


@pytest.mark.django_db
def test_an_article_a_data_migration_saves_is_reindexed_when_the_pipeline_renders_it(
    django_capture_on_commit_callbacks,
):
    """Search rows are derived content: the pipeline rebuilds them for every writer, historical models too."""
    from django.apps import apps as global_apps
    from django.db.migrations.state import ProjectState

    with django_capture_on_commit_callbacks(execute=True):
        make_article(body="Plain words about blood.")
    historical = ProjectState.from_apps(global_apps).apps.get_model("articles", "Article")
    with django_capture_on_commit_callbacks(execute=True):
        article = historical.objects.get(slug="test-article")
        article.body = "Plain words about marrow."
        article.save()
    assert [p.key for p in search("marrow").pages] == ["test-article"]
    assert search("blood").total == 0


@pytest.mark.django_db
def test_a_refresh_rewrites_only_the_rows_whose_text_changed(django_capture_on_commit_callbacks):
    """A re-render seldom changes what is indexed: a refresh of unchanged records must write nothing."""
    with django_capture_on_commit_callbacks(execute=True):
        make_claim("cord", statement="Cord blood gives NK cells.")
        make_term()
        article = make_article(body="From [cord blood](claim:cord).\n\n## Later\n\nWords about marrow.")
    before = dict(SearchDocument.objects.values_list("pk", "text_c"))
    index.refresh(articles=[article.pk], terms=Term.objects.values_list("pk", flat=True), claims=[])
    assert dict(SearchDocument.objects.values_list("pk", "text_c")) == before

    Article.objects.filter(pk=article.pk).update(body_html=article.body_html.replace("marrow", "spleen"))
    index.refresh(articles=[article.pk])
    after = dict(SearchDocument.objects.values_list("pk", "text_c"))
    assert len(after) == len(before) and len(set(after) - set(before)) == 1
    assert search("spleen").total == 1 and search("marrow").total == 0


@pytest.mark.django_db
def test_glossary_names_form_a_synonym_group_kept_with_the_term():
    term = make_term(slug="gvhd", term="Graft-versus-host disease", aliases="GvHD\nGVHD")
    index.refresh(terms=[term.pk])
    assert SynonymGroup.objects.get(term=term).words == "Graft-versus-host disease, GvHD, GVHD"
    term.aliases = "GvHD"
    term.save()
    index.refresh(terms=[term.pk])
    assert SynonymGroup.objects.get(term=term).words == "Graft-versus-host disease, GvHD"


@pytest.mark.django_db
def test_results_page_queries_do_not_grow_with_matches(client, django_assert_max_num_queries):
    for i in range(20):
        make_claim(f"c{i}", statement=f"Word number {i}.")
    make_article(slug="a", body=" ".join(f"[Word {i}](claim:c{i})" for i in range(20)))
    index.refresh()
    with django_assert_max_num_queries(3):
        response = client.get("/search/?q=word")
    page = BeautifulSoup(response.content, "html.parser")
    assert len(page.select("#found-claims ~ ul li")) == engines.CLAIM_ROWS == 10  # 20 match: the best ten are shown
    assert [a["href"] for a in page.select("#found-pages ~ ol li > a")] == ["/articles/a/"]


def test_empty_query_page_says_what_to_do(client, db):
    page = BeautifulSoup(client.get("/search/?q=").content, "html.parser")
    assert page.h1.get_text() == "Search this site"
    assert "Type a word or two" in page.main.get_text()


@pytest.mark.django_db
def test_rebuildsearch_reports_counts():
    make_term()
    from io import StringIO

    out = StringIO()
    call_command("rebuildsearch", stdout=out)
    assert out.getvalue().startswith("Search index rebuilt: 1 entries")


@pytest.mark.django_db
def test_postgres_rows_get_their_vector_as_they_are_inserted_not_by_a_later_update():
    """An UPDATE after the insert leaves a dead copy of every row that searches visit until vacuum."""
    if engines.current().trigram is False:
        pytest.skip("PostgreSQL's stored vectors only")
    make_term(slug="cord-blood", term="Cord blood", aliases="")
    with CaptureQueriesContext(connection) as queries:
        index.refresh()
    assert not [q["sql"] for q in queries if q["sql"].startswith('UPDATE "search_searchdocument"')]
    term = SearchDocument.objects.get(kind="term")
    assert term.search_vector and "cord" in term.search_vector and term.claim_vector is None
    assert [d.key for d in search("white blood cell").terms] == ["cord-blood"]


def test_a_known_word_with_an_ending_is_searched_as_typed_not_corrected():
    steps = plan("covered", [], {"covered": [("cover", 3), ("covers", 2), ("coverage", 1)]})
    assert steps.concepts[0].phrases == ["covered"] and not steps.corrections and not steps.unknown


def test_a_word_nothing_is_near_is_reported_unknown():
    steps = plan("hair loss", [], {"hair": [("heart", 1)], "loss": [("loss", 4)]})
    assert steps.unknown == ["hair"] and [c.phrases for c in steps.concepts] == [["hair"], ["loss"]]


def test_sections_leave_out_the_table_of_contents_and_a_bare_heading_lists_its_subsections():
    html = (
        '<nav class="on-this-page"><p><strong>On this page</strong></p><ul><li><a href="#b">Different</a></li></ul></nav>'
        "<p>Intro text.</p>"
        '<h2 id="b">How it is different</h2><h3 id="c">Where cells come from</h3><p>Donors.</p>'
        '<h3 id="d">How long they last</h3><p>Weeks.</p><h2 id="e">Costs</h2><p>Money.</p>'
    )
    found = {s.anchor: s for s in sections(html)}
    assert found[""].text == "Intro text."
    assert found["b"].text == "Where cells come from · How long they last"
    assert (found["c"].text, found["e"].text) == ("Donors.", "Money.")


@pytest.mark.django_db
def test_results_name_the_words_no_page_mentions(client):
    make_claim("cord", statement="Cord blood gives NK cells.")
    make_article(slug="sources", title="Where cells come from", body="Cells come from [cord blood](claim:cord).")
    index.refresh()
    page = BeautifulSoup(client.get("/search/", {"q": "does cord blood make hair fall"}).content, "html.parser")
    note = page.select_one(".search-note").get_text()
    assert "mentions these words: make, hair, fall." in note and "other words" in note
    assert page.select_one("a[href^='/articles/sources/']")
