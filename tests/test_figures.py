"""Figures: `![alt](figure:slug)` becomes a captioned figure of our own SVG, and nothing else gets in."""

from pathlib import Path
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup

from carnk_site.text.figures import FIGURES
from carnk_site.text.references import CitationRef, ClaimRef
from carnk_site.text.rendering import RenderContext, UnknownReferences, render

FIGURE_DIR = Path(__file__).resolve().parent.parent / "static" / "figures"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def context():
    citation = CitationRef("CancerFax guide", True, "/sources/cf/#cite-small-trial-1")
    return RenderContext(claims={"small-trial": ClaimRef("small-trial", "phase-1", 11, (citation,))}, terms={})


def soup(text, context):
    return BeautifulSoup(render(text, context).html, "html.parser")


def test_figure_paragraph_becomes_figure_with_image_alt_and_caption_with_claim_labels(context):
    page = soup(
        "![Eleven people, eight shaded](figure:icons-8-of-11)\nIn one trial, [8 of 11 responded](claim:small-trial).",
        context,
    )
    figure = page.select_one("figure.figure")
    img = figure.select_one("img")
    assert img["src"] == "/static/figures/icons-8-of-11.svg"
    assert img["alt"] == "Eleven people, eight shaded"
    caption = figure.select_one("figcaption")
    assert "Phase I · 11 people" in caption.select_one("span[data-claim=small-trial] .evidence").get_text()
    assert page.find("p") is None


def test_unknown_figure_is_an_error_naming_it(context):
    with pytest.raises(UnknownReferences) as error:
        render("![x](figure:no-such-figure)\nCaption.", context)
    assert "figure 'no-such-figure'" in str(error.value)


@pytest.mark.parametrize(
    "markdown",
    [
        "![x](https://example.com/track.png)",
        "![x](/static/figures/../secret.svg)",
        "![x](/static/figures/not-listed.svg)",
        "![x](javascript:alert(1))",
    ],
)
def test_other_images_lose_their_source(context, markdown):
    page = soup(markdown, context)
    assert all(not img.get("src") for img in page.find_all("img"))


def test_image_attributes_beyond_src_and_alt_are_dropped(context):
    page = soup('![x](figure:trial-journey)\nCaption.{: onerror="alert(1)" }', context)
    img = page.select_one("img")
    assert set(img.attrs) == {"src", "alt"}


def test_every_listed_figure_is_a_self_contained_svg_with_a_title_and_every_file_is_listed():
    files = {path.stem for path in FIGURE_DIR.glob("*.svg")}
    assert files == set(FIGURES)
    for slug in FIGURES:
        text = (FIGURE_DIR / f"{slug}.svg").read_text()
        root = ElementTree.fromstring(text)
        assert root.tag == f"{SVG}svg" and root.get("viewBox")
        assert root.find(f"{SVG}title") is not None and root.find(f"{SVG}title").text.strip()
        assert "http://" not in text.replace("http://www.w3.org/", "") and "https://" not in text
        assert "<script" not in text and "href=" not in text
