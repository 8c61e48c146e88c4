"""Turn editor-written Markdown into safe HTML: `render()`, the one entry point, and the limits that keep it quick.

`render()` converts Markdown with our extensions only, places figures (figures.py), links claims
and terms and labels their evidence (references.py, labels.py), and sanitises the result
(sanitise.py). Everything an editor writes in Markdown goes through it, once, when it is saved or
imported; pages never render Markdown.
"""

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from html import unescape

import markdown
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from carnk_site.core import limits
from carnk_site.text.figures import FigureMaker
from carnk_site.text.references import GlossaryMatcher, ReferenceLinker
from carnk_site.text.sanitise import sanitise

MARKDOWN_EXTENSIONS = ["tables", "sane_lists", "toc"]

#: Limits every way in shares (admin forms, content files): inside them any text renders in well under 2 s.
MAX_MARKDOWN_LENGTH = limits.MARKDOWN
#: Python-Markdown rebuilds a paragraph's text for every inline element in it (quadratic), so paragraphs are bounded too.
MAX_BLOCK_LENGTH = 5_000
#: The toc extension numbers repeated heading ids by trying _1, _2, ... in turn (quadratic).
MAX_HEADINGS = 200
#: Lists and quotes nested deeper than this are shown as text: Python-Markdown parses each level by recursion.
MAX_NESTING = 20


@dataclass
class RenderContext:
    """The claims and glossary terms a piece of Markdown may refer to."""

    claims: dict
    terms: dict
    _matcher: GlossaryMatcher | None = field(default=None, repr=False)
    _rendered: dict = field(default_factory=dict, repr=False)
    _converters: dict = field(default_factory=dict, repr=False)

    def converter(self, link_terms):
        """Return this context's Markdown converter, built once: building costs more than converting."""
        if link_terms not in self._converters:
            self._converters[link_terms] = _new_converter(self, link_terms)
        return self._converters[link_terms]

    @property
    def matcher(self):
        if self._matcher is None:
            self._matcher = GlossaryMatcher(self.terms.values())
        return self._matcher


@dataclass
class Rendered:
    """The result of rendering: safe HTML and what it refers to, in order of appearance."""

    html: str
    claim_slugs: list
    term_slugs: list
    headings: list = field(default_factory=list)


class RenderRefused(ValueError):
    """Raised when Markdown cannot be rendered; the message is written for the editor."""


class TooLong(RenderRefused):
    """Raised for Markdown longer than MAX_MARKDOWN_LENGTH, or with a paragraph longer than MAX_BLOCK_LENGTH."""


_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_HEADING_LINE = re.compile(r"^[ \t]{0,3}(?:#|=+[ \t]*$|-+[ \t]*$)", re.M)


def check_length(text):
    """Raise TooLong when the text or one of its paragraphs is longer than the limits."""
    length = limits.length(text)
    if length > MAX_MARKDOWN_LENGTH:
        message = _("This text is %(length)s characters long; at most %(limit)s can be published. Split it up.")
        raise TooLong(message % {"length": f"{length:,}", "limit": f"{MAX_MARKDOWN_LENGTH:,}"})
    longest = max(map(len, _BLANK_LINE.split(text)))
    if longest > MAX_BLOCK_LENGTH:
        message = _(
            "One paragraph, list or table is %(length)s characters long; at most %(limit)s. "
            "Break it up with blank lines."
        )
        raise TooLong(message % {"length": f"{longest:,}", "limit": f"{MAX_BLOCK_LENGTH:,}"})
    headings = len(_HEADING_LINE.findall(text))
    if headings > MAX_HEADINGS:
        raise TooLong(
            _("This text has %(count)s headings; at most %(limit)s.") % {"count": headings, "limit": MAX_HEADINGS}
        )


class UnknownReferences(RenderRefused):
    """Raised when Markdown refers to claims or terms that do not exist."""

    def __init__(self, missing):
        self.missing = missing
        names = ", ".join(f"{kind} '{slug}'" for kind, slug in missing)
        super().__init__(f"Refers to something that does not exist: {names}.")


def render(text, context, *, link_terms=True):
    """Render editor Markdown to sanitised HTML, resolving claim and term references.

    The result depends only on the text and the context, so a context remembers what it
    rendered: an import checks, saves and re-checks each article but renders it once.
    """
    text = text.replace("\r\n", "\n")  # browsers send line breaks as two characters; editors see one
    key = (text, link_terms)
    if key not in context._rendered:
        context._rendered[key] = _render(text, context, link_terms)
    result = context._rendered[key]
    return Rendered(result.html, list(result.claim_slugs), list(result.term_slugs), list(result.headings))


def _render(text, context, link_terms):
    check_length(text)
    md, linker = context.converter(link_terms)
    linker.reset()
    try:
        html = md.reset().convert(defuse(text))
    except RecursionError:  # a shape defuse() does not know yet: an editor's error, not a 500
        raise RenderRefused(_("This text is nested too deeply to show. Use fewer levels of lists or quotes.")) from None
    if linker.missing:
        raise UnknownReferences(linker.missing)
    return Rendered(
        html=sanitise(html),
        claim_slugs=list(dict.fromkeys(linker.claims_used)),
        term_slugs=list(dict.fromkeys(linker.terms_used)),
        headings=[(token["id"], unescape(token["name"])) for token in md.toc_tokens if token["level"] <= 3],
    )


def _new_converter(context, link_terms):
    """Build the Markdown converter: our extensions only, raw HTML off, references resolved."""
    linker = ReferenceLinker(context, link_terms)
    md = markdown.Markdown(extensions=[*MARKDOWN_EXTENSIONS, _ReferenceExtension(linker)], output_format="html")
    # Raw HTML is never accepted from editors: shown as text, not passed through.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md, linker


# Lines that open more than MAX_NESTING lists or quotes, e.g. "1. 1. 1. ..." or "> - > - ...".
_NESTED_MARKERS = re.compile(
    rf"^((?:[ \t]*(?:>|[-*+](?=[ \t])|\d{{1,9}}[.)](?=[ \t]))){{{MAX_NESTING}}})[ \t]*(?=[>\d*+-])", re.M
)
# A link or image whose text and target close within reach; any other "[" is shown as a bracket.
_LINK = re.compile(
    r"!?\[(?:[^\[\]\\]|\\.|\[[^\[\]\n]{0,100}\]){0,500}\]\((?:[^()\\\n]|\\.|\([^()\n]{0,100}\)){0,1000}\)"
)
# Escapes and short code spans with a few brackets are skipped: a bracket inside them shows as written.
_BRACKET = re.compile(r"\\.|`[^`\[\n]{0,200}(?:\[[^`\[\n]{0,200}){0,3}`|!?\[", re.S)


def defuse(text):
    """Escape what would make Python-Markdown recurse or backtrack, keeping what it would render.

    Python-Markdown nests one parser call per list or quote level, and looks for the end of a
    link from every unmatched "[" (quadratic on a run of them); our content uses neither deep
    nesting nor reference-style links, so deep markers and brackets that open no inline link
    become plain text.
    """
    text = _NESTED_MARKERS.sub(lambda m: m.group(0) + "\\", text)
    if "[" not in text:
        return text
    out, cursor = [], 0
    for match in _BRACKET.finditer(text):
        if match.group(0)[0] in "\\`" or match.start() < cursor:
            continue
        link = _LINK.match(text, match.start())
        if link:
            out.append(text[cursor : link.end()])
            cursor = link.end()
        else:
            out.append(text[cursor : match.end() - 1] + "\\[")
            cursor = match.end()
    out.append(text[cursor:])
    return "".join(out)


def literal(text):
    """Return plain text as Markdown that shows it as written: no link, claim or term inside it."""
    return re.sub(r"([\\\[\]])", r"\\\1", text)


class _ReferenceExtension(markdown.Extension):
    def __init__(self, linker):
        super().__init__()
        self.linker = linker

    def extendMarkdown(self, md):
        # Priority below the inline processor (20), so links already exist as elements.
        md.treeprocessors.register(self.linker, "carnk_references", 5)
        md.treeprocessors.register(FigureMaker(self.linker), "carnk_figures", 6)


def on_this_page(headings):
    """Return sanitised HTML listing links to the given (id, text) sections, for a long page."""
    nav = etree.Element("nav", {"class": "on-this-page", "aria-label": gettext("On this page")})
    title = etree.SubElement(nav, "p")
    etree.SubElement(title, "strong").text = gettext("On this page")
    items = etree.SubElement(nav, "ul")
    for anchor, text in headings:
        etree.SubElement(etree.SubElement(items, "li"), "a", {"href": f"#{anchor}"}).text = text
    return sanitise(etree.tostring(nav, encoding="unicode", method="html"))


def split_on_this_page(html):
    """Return (the "On this page" list, the rest) of a rendered body, so a page can show the list first.

    The list is only ever made by on_this_page() above, at the very start of the body; editors'
    raw HTML is refused, so no other <nav> can be there.
    """
    if not html.startswith('<nav class="on-this-page"'):
        return "", html
    end = html.index("</nav>") + len("</nav>")
    return html[:end], html[end:]
