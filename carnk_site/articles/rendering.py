"""Turn editor-written Markdown into safe HTML: the one place that marks HTML safe.

`render()` resolves `claim:` and `term:` links, links the first mention of each glossary
term, and sanitises the result with an explicit allowlist. Everything an editor writes in
Markdown goes through it, once, when it is saved or imported; pages never render Markdown.
"""

import re
import threading
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

import bleach
import bleach.sanitizer
import markdown
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from carnk_site.evidence.levels import evidence_label

ALLOWED_TAGS = frozenset(
    {
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
)
ALLOWED_ATTRIBUTES = {
    "a": ["href", "class", "data-term"],
    "span": ["class", "data-claim", "data-evidence"],
    "h2": ["id"],
    "h3": ["id"],
    "h4": ["id"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
MARKDOWN_EXTENSIONS = ["tables", "sane_lists", "toc"]

#: Limits every way in shares (admin forms, content files): inside them any text renders in well under 2 s.
MAX_MARKDOWN_LENGTH = 40_000
#: Python-Markdown rebuilds a paragraph's text for every inline element in it (quadratic), so paragraphs are bounded too.
MAX_BLOCK_LENGTH = 5_000
MAX_NAME_LENGTH = 100
#: The toc extension numbers repeated heading ids by trying _1, _2, ... in turn (quadratic).
MAX_HEADINGS = 200
#: Lists and quotes nested deeper than this are shown as text: Python-Markdown parses each level by recursion.
MAX_NESTING = 20

_NO_LINKING_INSIDE = frozenset({"a", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6"})
CLAIM_SCHEME = "claim:"
TERM_SCHEME = "term:"


@dataclass(frozen=True)
class CitationRef:
    """What a rendered page needs to know about one citation."""

    source_name: str
    commercial: bool
    url: str


@dataclass(frozen=True)
class ClaimRef:
    """What a rendered page needs to know about one claim."""

    slug: str
    level: str
    participants: int | None
    citations: tuple[CitationRef, ...]

    @property
    def label(self):
        return evidence_label(self.level, self.participants)


@dataclass(frozen=True)
class TermRef:
    """What a rendered page needs to know about one glossary term."""

    slug: str
    names: tuple[str, ...]
    url: str


class GlossaryMatcher:
    """Find glossary terms and aliases in text with one combined pattern.

    The names are compiled into a trie-shaped regular expression (longest name first at each
    position), so the cost per character does not grow with the size of the glossary. The
    pattern ignores case; `slug_for` then holds acronyms such as "CRS" to their capitals.
    """

    def __init__(self, terms):
        self._exact, self._folded = {}, {}
        for term in terms:
            for name in term.names:
                if len(name) > MAX_NAME_LENGTH:  # refused by forms and the loader; never let one break a save
                    continue
                if self._is_acronym(name):
                    self._exact.setdefault(name, term.slug)
                else:
                    self._folded.setdefault(name.casefold(), term.slug)
        names = {n.casefold() for n in self._exact} | set(self._folded)
        alternatives = _trie_pattern(names) or r"(?!x)x"
        self._pattern = re.compile(rf"(?<![\w-])(?i:{alternatives})(?:e?s)?(?![\w-])")

    @staticmethod
    def _is_acronym(name):
        return name.upper() == name and any(c.isalpha() for c in name)

    def slug_for(self, text):
        """Return the term slug for a matched name, allowing a plural ending."""
        for candidate in (text, text[:-1], text[:-2]):
            if candidate in self._exact:
                return self._exact[candidate]
            if candidate.casefold() in self._folded and not self._is_acronym(candidate):
                return self._folded[candidate.casefold()]
        return None

    def finditer(self, text):
        """Yield (match, slug) for every term mention in the text."""
        for match in self._pattern.finditer(text):
            slug = self.slug_for(match.group(0))
            if slug:
                yield match, slug


def _trie_pattern(words):
    """Return a regular expression matching any of the words, built as a trie so it stays fast."""
    trie = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node):
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


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


class RenderRefused(ValueError):
    """Raised when Markdown cannot be rendered; the message is written for the editor."""


class TooLong(RenderRefused):
    """Raised for Markdown longer than MAX_MARKDOWN_LENGTH, or with a paragraph longer than MAX_BLOCK_LENGTH."""


_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_HEADING_LINE = re.compile(r"^[ \t]{0,3}(?:#|=+[ \t]*$|-+[ \t]*$)", re.M)


def check_length(text):
    """Raise TooLong when the text or one of its paragraphs is longer than the limits."""
    if len(text) > MAX_MARKDOWN_LENGTH:
        message = _("This text is %(length)s characters long; at most %(limit)s can be published. Split it up.")
        raise TooLong(message % {"length": f"{len(text):,}", "limit": f"{MAX_MARKDOWN_LENGTH:,}"})
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
    key = (text, link_terms)
    if key not in context._rendered:
        context._rendered[key] = _render(text, context, link_terms)
    result = context._rendered[key]
    return Rendered(result.html, list(result.claim_slugs), list(result.term_slugs))


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
    )


def _new_converter(context, link_terms):
    """Build the Markdown converter: our extensions only, raw HTML off, references resolved."""
    linker = _ReferenceLinker(context, link_terms)
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


# Entities Markdown writes for & < > " in text: html5lib makes each one a token and appends it to its
# text node by copying, which is quadratic on a long run of them. Stand-ins keep the sanitiser linear.
_ENTITIES = {"&amp;": "\ue000", "&lt;": "\ue001", "&gt;": "\ue002"}
_ENTITY = re.compile("|".join(_ENTITIES))
_STAND_IN = re.compile("[\ue000-\ue002]")
_RESTORE = {v: k for k, v in _ENTITIES.items()}


def sanitise(html):
    """Strip everything outside the allowlist: the last line of defence for editor HTML."""
    if _STAND_IN.search(html):  # the text uses the stand-ins itself: clean it the plain way
        return _cleaner().clean(html)
    cleaned = _cleaner().clean(_ENTITY.sub(lambda m: _ENTITIES[m.group(0)], html))
    return _STAND_IN.sub(lambda m: _RESTORE[m.group(0)], cleaned)


_local = threading.local()


def _cleaner():
    """Return this thread's bleach Cleaner: building one per call costs more than cleaning."""
    if not hasattr(_local, "cleaner"):
        _local.cleaner = bleach.sanitizer.Cleaner(
            tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, protocols=ALLOWED_PROTOCOLS, strip=True
        )
    return _local.cleaner


def trusted(html):
    """Mark HTML that came out of render() (and was stored) as safe for templates."""
    return mark_safe(html)


class _ReferenceExtension(markdown.Extension):
    def __init__(self, linker):
        super().__init__()
        self.linker = linker

    def extendMarkdown(self, md):
        # Priority below the inline processor (20), so links already exist as elements.
        md.treeprocessors.register(self.linker, "carnk_references", 5)


class _ReferenceLinker(markdown.treeprocessors.Treeprocessor):
    """Resolve claim: and term: links and link the first mention of each glossary term."""

    def __init__(self, context, link_terms):
        super().__init__()
        self.context = context
        self.link_terms = link_terms
        self.reset()

    def reset(self):
        self.missing, self.claims_used, self.terms_used = [], [], []
        self.linked = set()

    def run(self, root):
        links = [(parent, a) for parent in root.iter() for a in parent if a.tag == "a"]
        for _parent, a in links:
            href = a.get("href", "")
            if href.startswith(TERM_SCHEME):
                self._resolve_term(a, href[len(TERM_SCHEME) :])
        if self.link_terms:
            self._link_mentions(root)
        for parent, a in links:
            href = a.get("href", "")
            if href.startswith(CLAIM_SCHEME):
                self._resolve_claim(parent, a, href[len(CLAIM_SCHEME) :])

    def _resolve_term(self, a, slug):
        term = self.context.terms.get(slug)
        if term is None:
            self.missing.append(("term", slug))
            return
        a.attrib.clear()
        a.set("href", term.url)
        a.set("class", "term")
        a.set("data-term", slug)
        self.linked.add(slug)
        self.terms_used.append(slug)

    def _resolve_claim(self, parent, a, slug):
        claim = self.context.claims.get(slug)
        if claim is None:
            self.missing.append(("claim", slug))
            return
        self.claims_used.append(slug)
        a.tag = "span"
        a.attrib.clear()
        a.set("class", "claim")
        a.set("data-claim", slug)
        a.set("data-evidence", claim.level)
        if len(a):
            a[-1].tail = (a[-1].tail or "") + " "
        else:
            a.text = (a.text or "") + " "
        a.append(_evidence_tag(claim))

    def _link_mentions(self, elem):
        if elem.tag in _NO_LINKING_INSIDE and not elem.get("href", "").startswith(CLAIM_SCHEME):
            return
        elem.text, nodes = self._link_text(elem.text)
        children = list(elem)
        for child in children:
            elem.remove(child)
        for child in children:
            self._link_mentions(child)
            child.tail, tail_nodes = self._link_text(child.tail)
            nodes.append(child)
            nodes.extend(tail_nodes)
        elem.extend(nodes)

    def _link_text(self, text):
        """Split text around first mentions; return the leading text and new link elements."""
        if not text:
            return text, []
        head, nodes, last, cursor = None, [], None, 0
        for match, slug in self.context.matcher.finditer(text):
            if slug in self.linked:
                continue
            self.linked.add(slug)
            self.terms_used.append(slug)
            before = text[cursor : match.start()]
            if last is None:
                head = before
            else:
                last.tail = before
            last = etree.Element("a", {"href": self.context.terms[slug].url, "class": "term", "data-term": slug})
            last.text = match.group(0)
            nodes.append(last)
            cursor = match.end()
        if last is None:
            return text, []
        last.tail = text[cursor:]
        return head, nodes


def _evidence_tag(claim):
    """Build '(Phase I trial · 11 people · CancerFax guide (commercial))' with citation links."""
    tag = etree.Element("span", {"class": "evidence"})
    level = etree.SubElement(tag, "span", {"class": "evidence-level"})
    level.text = claim.label
    tag.text = "("
    previous = level
    first_per_source = {c.source_name: c for c in reversed(claim.citations)}
    for citation in (c for c in claim.citations if first_per_source[c.source_name] is c):
        previous.tail = " · "
        link = etree.SubElement(tag, "a", {"class": "cite", "href": citation.url})
        link.text = citation.source_name + (" (commercial)" if citation.commercial else "")
        previous = link
    previous.tail = ")"
    return tag
