"""The one rendering function: claim and term references, first-mention links, sanitising."""

import pytest
from bs4 import BeautifulSoup

from carnk_site.text.references import CitationRef, ClaimRef, TermRef
from carnk_site.text.rendering import RenderContext, UnknownReferences, render


@pytest.fixture
def context():
    return RenderContext(
        claims={
            "small-trial": ClaimRef(
                "small-trial",
                "phase-1",
                11,
                (CitationRef("CancerFax guide", True, "/sources/cf/#cite-small-trial-1", "seller"),),
            ),
            "mouse": ClaimRef(
                "mouse",
                "preclinical",
                None,
                (CitationRef("KevinMD article", False, "/sources/k/#cite-mouse-1", "news-report"),),
            ),
        },
        terms={
            "crs": TermRef("crs", ("Cytokine release syndrome", "CRS"), "/glossary/crs/"),
            "nk-cell": TermRef("nk-cell", ("NK cell", "natural killer cell"), "/glossary/nk-cell/"),
        },
    )


def soup(text, context, **kwargs):
    return BeautifulSoup(render(text, context, **kwargs).html, "html.parser")


def test_claim_link_becomes_span_with_contract_attributes_and_visible_label(context):
    page = soup("Early on, [8 of 11 people responded](claim:small-trial).", context)
    span = page.select_one("span[data-claim]")
    assert span["data-claim"] == "small-trial"
    assert span["data-evidence"] == "phase-1"
    assert span.get_text().startswith("8 of 11 people responded")
    assert span["data-evidence-kind"] == "phase-1"
    assert span["data-evidence-rank"] == "3"
    label = span.select_one(".evidence a.evidence-label")
    assert label.get_text() == "Phase I · 11 people · told by a seller"
    assert label["href"] == "/sources/cf/#cite-small-trial-1"
    assert label["data-covers"] == "small-trial"
    assert label.select_one(".evidence-scale.rank-3")["aria-hidden"] == "true"


def test_claim_without_participants_shows_kind_and_teller_only(context):
    page = soup("[Mice did better](claim:mouse).", context)
    assert page.select_one(".evidence-label").get_text() == "Lab or animal study · told by a news report"
    assert "CancerFax" not in page.get_text()


def test_first_mention_of_each_term_or_alias_is_linked_once(context):
    page = soup("NK cells are cells. A natural killer cell is an NK cell.\n\nCRS can happen. CRS again.", context)
    links = page.select("a[data-term]")
    assert [(a["data-term"], a.get_text()) for a in links] == [("nk-cell", "NK cells"), ("crs", "CRS")]
    assert links[0]["href"] == "/glossary/nk-cell/"


def test_acronym_alias_matches_only_in_capitals(context):
    page = soup("The word crs in lower case is not the acronym.", context)
    assert page.select("a[data-term]") == []


def test_terms_are_linked_inside_claim_text_but_not_in_headings(context):
    page = soup("## About CRS\n\n[CRS was mild](claim:small-trial).", context)
    assert page.select_one("h2 a") is None
    assert page.select_one("span[data-claim] a[data-term]")["data-term"] == "crs"


def test_explicit_term_link_counts_as_the_first_mention(context):
    page = soup("Cytokine release syndrome is rare. Later: [CRS](term:crs).", context)
    links = page.select("a[data-term]")
    assert len(links) == 1 and links[0].get_text() == "CRS"


def test_term_linking_can_be_switched_off(context):
    assert soup("CRS happens.", context, link_terms=False).select("a[data-term]") == []


def test_unknown_claim_and_term_references_raise_naming_each_id(context):
    with pytest.raises(UnknownReferences) as error:
        render("[a](claim:nope) and [b](term:nada)", context)
    assert error.value.missing == [("term", "nada"), ("claim", "nope")]
    assert "claim 'nope'" in str(error.value) and "term 'nada'" in str(error.value)


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "<style>body{display:none}</style>",
        '<a href="javascript:alert(1)">x</a>',
        "[click](javascript:alert(1))",
        "[click](data:text/html;base64,PHNjcmlwdD4=)",
        '<p onclick="alert(1)">x</p>',
        '<div style="background:url(javascript:alert(1))">x</div>',
        '<svg onload="alert(1)"></svg>',
        '<iframe src="https://example.org"></iframe>',
    ],
)
def test_hostile_markup_never_survives(context, hostile):
    html = render(hostile, context).html
    page = BeautifulSoup(html, "html.parser")
    assert page.find(["script", "style", "img", "svg", "iframe", "div"]) is None
    for tag in page.find_all(True):
        assert not any(attr.startswith("on") or attr == "style" for attr in tag.attrs), tag
        assert not tag.get("href", "").lower().startswith(("javascript:", "data:")), tag


def test_raw_html_is_shown_as_text_not_passed_through(context):
    html = render("Hello <b>bold</b>", context).html
    assert "<b>" not in html and "&lt;b&gt;" in html


def test_allowed_links_keep_http_https_and_mailto(context):
    page = soup("[a](https://example.org) [b](http://example.org) [c](mailto:x@example.org) [d](/glossary/)", context)
    assert [a["href"] for a in page.find_all("a")] == [
        "https://example.org",
        "http://example.org",
        "mailto:x@example.org",
        "/glossary/",
    ]


def test_headings_keep_ids_for_anchors(context):
    assert soup("## What we don't know yet", context).h2["id"] == "what-we-dont-know-yet"
