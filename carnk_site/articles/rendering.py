"""Turn editor-written Markdown into safe HTML: the one place that marks HTML safe.

`render()` resolves `claim:` and `term:` links, links the first mention of each glossary
term, and sanitises the result with an explicit allowlist. Everything an editor writes in
Markdown goes through it, once, when it is saved or imported; pages never render Markdown.
"""

import json
import re
import threading
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

import bleach
import bleach.sanitizer
import markdown
from django.utils.safestring import mark_safe

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


class UnknownReferences(ValueError):
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
    md, linker = context.converter(link_terms)
    linker.reset()
    html = md.reset().convert(text)
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


def sanitise(html):
    """Strip everything outside the allowlist: the last line of defence for editor HTML."""
    return _cleaner().clean(html)


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


_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_script_data(data):
    """Return data as JSON safe inside <script type="application/ld+json"> (no way to close the element)."""
    return mark_safe(json.dumps(data, ensure_ascii=False, sort_keys=True).translate(_JSON_SCRIPT_ESCAPES))
