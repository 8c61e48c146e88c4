"""Long articles open with a list of their sections; short ones do not."""

from bs4 import BeautifulSoup

from carnk_site.publishing.records import ON_THIS_PAGE_MIN_WORDS, render_article
from carnk_site.text.rendering import RenderContext, on_this_page


class _Article:
    key_points = ""

    def __init__(self, body):
        self.body = body


def _rendered(body):
    article = _Article(body)
    render_article(article, RenderContext(claims={}, terms={}))
    return BeautifulSoup(article.body_html, "html.parser")


def _long_body(words_per_section):
    filler = " ".join(["word"] * words_per_section)
    return f"## First part\n\n{filler}\n\n### A detail\n\n{filler}\n\n## What we don't know yet\n\n{filler}\n"


def test_long_article_lists_its_h2_sections_first():
    page = _rendered(_long_body(ON_THIS_PAGE_MIN_WORDS // 2))
    nav = page.find("nav")
    assert nav is page.contents[0] and nav["aria-label"] == "On this page" and nav["class"] == ["on-this-page"]
    links = [(a["href"], a.get_text()) for a in nav.select("li a")]
    assert links == [("#first-part", "First part"), ("#what-we-dont-know-yet", "What we don't know yet")]
    assert all(page.find(id=href[1:]) for href, _ in links)


def test_short_article_has_no_list():
    assert _rendered(_long_body(50)).find("nav") is None


def test_heading_text_is_escaped():
    html = on_this_page([("x", "<script>alert(1)</script>")])
    assert "<script>" not in html and "&lt;script&gt;" in html
