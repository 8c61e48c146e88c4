"""Property: render() never raises on any Markdown, and only ever emits the allowlisted HTML.

The allowlist is written out here rather than imported from sanitise.py, so widening the
renderer's allowlist (say, adding <img> or style=) fails this test until someone decides to.
"""

import re
from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carnk_site.text.references import CitationRef, ClaimRef, TermRef
from carnk_site.text.rendering import RenderContext, UnknownReferences, render

from .payloads import PAYLOADS

TAGS = {
    "p",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "a",
    "blockquote",
    "span",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "br",
    "hr",
    "code",
    "pre",
}
ATTRIBUTES = {
    "a": {"href", "class", "data-term", "data-covers"},
    "span": {
        "class",
        "data-claim",
        "data-evidence",
        "data-evidence-kind",
        "data-evidence-rank",
        "data-statement-kind",
        "data-about",
        "aria-hidden",
    },
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "figure": {"class"},
    "nav": {"class", "aria-label"},
    "img": {"src", "alt"},
}
TAGS |= {"figure", "figcaption", "img", "nav"}
CLASSES = {
    "claim",
    "evidence",
    "evidence-level",
    "evidence-label",
    "section-label",
    "evidence-scale",
    "basic",
    "cite",
    "term",
}
CLASSES |= {f"rank-{n}" for n in range(9)} | {"figure", "on-this-page"}
#: The only images: the site's own figures.
FIGURE_SRC = re.compile(r"/static/figures/[a-z0-9-]+\.svg")
SCHEMES = {"http", "https", "mailto"}
SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")  # as the URL standard reads a scheme; no scheme is relative

CONTEXT = RenderContext(
    claims={
        "known-claim": ClaimRef(
            "known-claim", "phase-1", 11, (CitationRef("News <b>story</b>", True, "/sources/news/#cite-known-claim-1"),)
        )
    },
    terms={
        "nk-cell": TermRef("nk-cell", ("NK cell", "natural killer cell"), "/glossary/nk-cell/"),
        "crs": TermRef("crs", ("CRS", "cytokine storm"), "/glossary/crs/"),
    },
)

# Markdown syntax, raw HTML fragments and known payloads, mixed with arbitrary text.
PIECES = [
    "# ",
    "## ",
    "### ",
    "#### ",
    "- ",
    "* ",
    "1. ",
    "> ",
    "    ",
    "```",
    "`",
    "**",
    "*",
    "_",
    "__",
    "---",
    "|",
    "| --- |",
    "[",
    "]",
    "(",
    ")",
    "![",
    "]: ",
    "<",
    ">",
    "</",
    "/>",
    "&",
    "&#",
    ";",
    '"',
    "'",
    "=",
    "\n",
    "\n\n",
    " ",
    "\t",
    "[text](",
    "](claim:known-claim)",
    "](term:nk-cell)",
    "](https://example.org)",
    "](mailto:a@example.org)",
    "](javascript:alert(1))",
    "](data:text/html,x)",
    "](vbscript:x)",
    "](//example.org)",
    "](#anchor)",
    "<a href=",
    "<img src=x onerror=alert(1)>",
    "<script>",
    "</script>",
    "<svg",
    "<math",
    "<style>",
    "onload=",
    "javascript:",
    "JaVaScRiPt&colon;",
    "&#106;avascript:",
    "NK cell",
    "CRS",
    "cytokine storm",
    "[TOC]",
    "{: #id .cls }",
    "<!--",
    "-->",
    "<![CDATA[",
    "\x00",
    "\u202e",
    "\ufeff",
]
markdown = st.lists(
    st.one_of(st.sampled_from(PIECES), st.sampled_from(PAYLOADS), st.text(max_size=12)), max_size=40
).map("".join)


class Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))

    handle_startendtag = handle_starttag


def as_browser_reads(url):
    """Strip what a browser strips from a URL: leading and trailing controls and spaces, tabs and newlines anywhere."""
    return re.sub(r"[\t\n\r]", "", url).strip("".join(map(chr, range(0x21))))


def violations(html):
    """Return every tag, attribute, class or URL in the HTML that the allowlist does not permit."""
    collector = Collector()
    collector.feed(html)
    collector.close()
    found = []
    for tag, attrs in collector.elements:
        if tag not in TAGS:
            found.append(f"<{tag}>")
        for name, value in attrs:
            if name not in ATTRIBUTES.get(tag, set()):
                found.append(f"<{tag} {name}>")
            elif name == "href":
                scheme = SCHEME.match(as_browser_reads(value or ""))
                if scheme and scheme.group(1).lower() not in SCHEMES:
                    found.append(f"<{tag} href={value!r}>")
            elif name == "src" and not FIGURE_SRC.fullmatch(value or ""):
                found.append(f"<{tag} src={value!r}>")
            elif name == "class" and not set((value or "").split()) <= CLASSES:
                found.append(f"<{tag} class={value!r}>")
            elif name == "data-claim" and value not in CONTEXT.claims:
                found.append(f"<{tag} data-claim={value!r}>")
            elif name == "data-term" and value not in CONTEXT.terms:
                found.append(f"<{tag} data-term={value!r}>")
    return found


@settings(
    max_examples=1000, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(markdown, st.booleans())
def test_render_never_raises_and_emits_only_allowlisted_html(text, link_terms):
    try:
        html = render(text, CONTEXT, link_terms=link_terms).html
    except UnknownReferences as exc:  # the one documented refusal, and only for links that really are unknown
        assert all(f"{kind}:" in text and slug in text for kind, slug in exc.missing)
        return
    assert violations(html) == []
    assert "<script" not in html.lower()


def test_every_payload_renders_to_allowlisted_html():
    for payload in PAYLOADS:
        try:
            html = render(payload, CONTEXT).html
        except UnknownReferences:
            continue
        assert violations(html) == [], payload


def test_the_checker_catches_what_it_must():
    """The property is only as good as its checker: show it fails on each kind of escape."""
    assert violations('<img src="x">') == ["<img src='x'>"]
    assert violations('<video src="x">') == ["<video>", "<video src>"]
    assert violations('<img src="/static/figures/icons-8-of-11.svg" alt="8 of 11">') == []
    assert violations('<a href="javascript:alert(1)">x</a>') == ["<a href='javascript:alert(1)'>"]
    assert len(violations('<a href="&#1;jav&#9;ascript:alert(1)">x</a>')) == 1
    assert violations('<a href="https://e.org" onclick="x">x</a>') == ["<a onclick>"]
    assert violations('<span class="claim evil">x</span>') == ["<span class='claim evil'>"]
    assert violations('<p><a class="term" data-term="x" href="/glossary/x/">x</a></p>') == ["<a data-term='x'>"]
    assert violations('<h2 id="a">x</h2><a href="/sources/x/#y">x</a>') == []
