"""Turn editor-written Markdown into safe HTML: the one place that marks HTML safe.

`render()` resolves `claim:` and `term:` links, links the first mention of each glossary
term, and sanitises the result with an explicit allowlist. Everything an editor writes in
Markdown goes through it, once, when it is saved or imported; pages never render Markdown.
"""

import json
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from html import unescape

import markdown
import nh3
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from carnk_site.core import limits
from carnk_site.text.levels import evidence_label, legacy_level, rank, tellers_in_order

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
        "figure",
        "figcaption",
        "img",
        "nav",
    }
)
#: Figures drawn for this site, as static/figures/<slug>.svg; `![alt](figure:slug)` may name only these.
FIGURES = frozenset(
    {
        "how-car-nk-kills",
        "where-cells-come-from",
        "trial-journey",
        "car-nk-vs-car-t",
        "icons-8-of-11",
        "icons-2-of-6",
    }
)
FIGURE_SCHEME = "figure:"
FIGURE_SRC = re.compile(r"/static/figures/([a-z0-9-]+)\.svg")


ALLOWED_ATTRIBUTES = {
    "a": ["href", "class", "data-term", "data-covers"],
    "p": ["class"],
    "span": ["class", "data-claim", "data-evidence", "data-evidence-kind", "data-evidence-rank", "aria-hidden"],
    "h2": ["id"],
    "h3": ["id"],
    "h4": ["id"],
    "figure": ["class"],
    "nav": ["class", "aria-label"],
    "img": ["src", "alt", "width", "height"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
MARKDOWN_EXTENSIONS = ["tables", "sane_lists", "toc"]

#: Limits every way in shares (admin forms, content files): inside them any text renders in well under 2 s.
MAX_MARKDOWN_LENGTH = limits.MARKDOWN
#: Python-Markdown rebuilds a paragraph's text for every inline element in it (quadratic), so paragraphs are bounded too.
MAX_BLOCK_LENGTH = 5_000
MAX_NAME_LENGTH = limits.GLOSSARY_NAME
#: The toc extension numbers repeated heading ids by trying _1, _2, ... in turn (quadratic).
MAX_HEADINGS = 200
#: Lists and quotes nested deeper than this are shown as text: Python-Markdown parses each level by recursion.
MAX_NESTING = 20

_NO_LINKING_INSIDE = frozenset({"a", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6"})
UNLESS_MARKED = _("Unless marked:")
CLAIM_SCHEME = "claim:"
TERM_SCHEME = "term:"


@dataclass(frozen=True)
class CitationRef:
    """What a rendered page needs to know about one citation."""

    source_name: str
    commercial: bool
    url: str
    teller: str = ""
    quote: str = ""


@dataclass(frozen=True)
class ClaimRef:
    """What a rendered page needs to know about one claim."""

    slug: str
    level: str
    participants: int | None
    citations: tuple[CitationRef, ...]

    @property
    def tellers(self):
        """Return who tells this claim: the distinct tellers of its cited sources."""
        return tellers_in_order(c.teller for c in self.citations)

    @property
    def label(self):
        return evidence_label(self.level, self.participants, self.tellers)

    @property
    def rank(self):
        return rank(self.level)


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


def sanitise(html):
    """Strip everything outside the allowlist: the last line of defence for editor HTML.

    nh3 (the Rust sanitiser ammonia) keeps the text of a tag it strips, like bleach with strip=True,
    in time linear in the input and some twenty times faster, which keeps re-rendering a library quick.
    """
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=_NH3_ATTRIBUTES,
        attribute_filter=_allowed_value,
        url_schemes=ALLOWED_PROTOCOLS,
        link_rel=None,
        strip_comments=True,
    )


# "*" empty: no attribute on every tag (ammonia's default allows title and lang anywhere).
_NH3_ATTRIBUTES = {"*": set()} | {tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()}


def _allowed_value(tag, name, value):
    """Allow an image's source only as one of our own figures."""
    if tag == "img" and name == "src":
        match = FIGURE_SRC.fullmatch(value)
        return value if match and match.group(1) in FIGURES else None
    return value


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
        md.treeprocessors.register(_FigureMaker(self.linker), "carnk_figures", 6)


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
        if not self.missing:
            _attach_labels(root, self.context.claims)

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
        a.set("data-evidence", legacy_level(claim.level))
        a.set("data-evidence-kind", claim.level)
        a.set("data-evidence-rank", "" if claim.rank is None else str(claim.rank))

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


#: Where a run of claims ends: a table row is one run, so a row states a shared label once.
_BLOCKS = frozenset({"p", "li", "tr", "h1", "h2", "h3", "h4", "blockquote", "figure", "div"})


def _attach_labels(root, claims):
    """Give each run of claims with the same label one visible label, at the end of the run.

    A run is the claims in one paragraph, list item or table row, one after another, with the
    same label. Claims the section label in force covers (see `_section_labels`) show none.
    """
    parents = {child: parent for parent in root.iter() for child in parent}
    spans = [el for el in root.iter("span") if el.get("data-claim")]
    covered = _section_labels(root, parents, spans, claims)
    runs = []
    for span in spans:
        claim = claims[span.get("data-claim")]
        if covered.get(id(span)) == claim.label:
            continue
        block = _block_of(span, parents)
        if runs and runs[-1][0] is block and runs[-1][1] == claim.label:
            runs[-1][2].append(span)
        else:
            runs.append((block, claim.label, [span]))
    for _block, _label, members in runs:
        _append_with_space(members[-1], _evidence_tag([claims[m.get("data-claim")] for m in members]))


def _block_of(elem, parents):
    while elem in parents and elem.tag not in _BLOCKS:
        elem = parents[elem]
    return elem


def _section_labels(root, parents, spans, claims):
    """Return {id(span): label} for claims a stated label covers; add each stated label to the page.

    A stated 'Unless marked' label holds until the next one, as a reader scanning up finds it.
    A section (the part under a `##` or `###` heading, or the opening part before any) states
    another label, one at least two of its claims share, only when that shows the reader fewer
    labels (`_section_choice`). A study card (a `###` section whose list items start in bold) states its study's
    label, which covers only the card; the section after it states its own again.
    """
    found, in_force, stated = {}, None, None
    children = list(root)
    for index, heading in [(-1, None), *enumerate(children)]:
        if heading is not None and heading.tag not in {"h1", "h2", "h3"}:
            continue
        if heading is not None and heading.tag == "h1":
            in_force = None
            continue
        section = []
        for elem in children[index + 1 :]:
            if elem.tag in {"h1", "h2", "h3"}:
                break
            section.append(elem)
        inside = [s for s in spans if _within(s, section, parents)]
        if not inside:
            continue
        labels = [claims[s.get("data-claim")].label for s in inside]
        card = heading is not None and _is_study_card(heading, section)
        common = (
            max(dict.fromkeys(labels), key=labels.count) if card else _section_choice(inside, labels, in_force, parents)
        )
        shared = [s for s, label in zip(inside, labels, strict=True) if label == common]
        if card or common != in_force:
            tag = _evidence_tag([claims[s.get("data-claim")] for s in shared], None if card else str(UNLESS_MARKED))
            if heading is None:  # the opening part, before any heading: the label leads it
                lead = etree.Element("p", {"class": "section-lead"})
                lead.append(tag)
                root.insert(0, lead)
            else:
                _append_with_space(heading, tag)
            in_force, stated = common, tag
        covered = [s for s, label in zip(inside, labels, strict=True) if label == in_force]
        found.update({id(s): in_force for s in covered})
        if covered:  # the pop-up and focus show every statement a label covers, in later sections too
            link = stated.find("a")
            slugs = [*link.get("data-covers").split(), *(s.get("data-claim") for s in covered)]
            link.set("data-covers", " ".join(dict.fromkeys(slugs)))
        if card:
            in_force, stated = None, None
    return found


def _section_choice(inside, labels, in_force, parents):
    """Return the label a section should leave in force: the one that shows the reader fewest labels.

    Stating a label costs one; each run of claims it does not cover costs one more. Keeping the
    label in force wins a tie, then the label most claims share.
    """
    blocks = [_block_of(s, parents) for s in inside]

    def shown(covered):
        runs, last = 0, None
        for block, label in zip(blocks, labels, strict=True):
            if label != covered:  # covered claims show nothing and do not break a run, as in _attach_labels
                runs += (block, label) != last
                last = (block, label)
        return runs + (covered != in_force)

    shared = [lb for lb in dict.fromkeys(labels) if labels.count(lb) >= 2]
    candidates = [in_force, *sorted(shared, key=labels.count, reverse=True)]
    return min(candidates, key=shown)


def _is_study_card(heading, section):
    items = [li for elem in section if elem.tag == "ul" for li in elem if li.tag == "li"]
    return (
        heading.tag == "h3"
        and len(items) >= 3
        and all(li.text in (None, "") and len(li) and li[0].tag == "strong" for li in items)
    )


def _within(elem, section, parents):
    while elem is not None and elem not in section:
        elem = parents.get(elem)
    return elem is not None


def _append_with_space(elem, tag):
    if len(elem):
        elem[-1].tail = (elem[-1].tail or "") + " "
    else:
        elem.text = (elem.text or "") + " "
    elem.append(tag)


def _label_href(claim):
    """Link a label to its first quoted passage: a page that exists wherever the label is shown."""
    return claim.citations[0].url if claim.citations else f"#claim-{claim.slug}"


def _evidence_tag(covered, prefix=None):
    """Build the visible label for claims that share it: a small strength scale and words.

    '(Phase I · 11 people · told by a seller)', linking to the first claim's quoted passage on
    its source page (articles also list every passage under "Sources cited"); the scale is drawn by CSS from its rank class and hidden from
    screen readers, because the words say the same.
    """
    claim = covered[0]
    slugs = list(dict.fromkeys(c.slug for c in covered))
    tag = etree.Element("span", {"class": "evidence section-label" if prefix else "evidence"})
    tag.text = f"({prefix} " if prefix else "("
    link = etree.SubElement(
        tag, "a", {"class": "evidence-label", "href": _label_href(claim), "data-covers": " ".join(slugs)}
    )
    marker = "basic" if claim.rank is None else f"rank-{claim.rank}"
    scale = etree.SubElement(link, "span", {"class": f"evidence-scale {marker}", "aria-hidden": "true"})
    scale.tail = claim.label
    link.tail = ")"
    return tag


class _FigureMaker(markdown.treeprocessors.Treeprocessor):
    """Turn a paragraph that starts with `![alt](figure:slug)` into a figure; the rest is its caption.

    Runs before the reference linker, so claim links in the caption are resolved like any other.
    """

    def __init__(self, linker):
        super().__init__()
        self.linker = linker

    def run(self, root):
        for p in list(root.iter("p")):
            img = p[0] if len(p) else None
            if img is None or img.tag != "img" or (p.text or "").strip():
                continue
            src = img.get("src", "")
            if not src.startswith(FIGURE_SCHEME):
                continue
            slug = src[len(FIGURE_SCHEME) :]
            if slug not in FIGURES:
                self.linker.missing.append(("figure", slug))
                continue
            p.tag, p.text = "figure", None
            p.set("class", "figure")
            img.attrib = {"src": f"/static/figures/{slug}.svg", "alt": img.get("alt", "")}
            caption = etree.Element("figcaption")
            caption.text = (img.tail or "").lstrip()
            img.tail = None
            for child in list(p)[1:]:
                p.remove(child)
                caption.append(child)
            p.append(caption)
        self._drop_other_images(root)

    @staticmethod
    def _drop_other_images(root):
        """Show any other image as its text alternative: readers only ever get our own figures."""
        for parent in root.iter():
            for index, child in reversed(list(enumerate(parent))):
                if child.tag != "img" or parent.tag == "figure":
                    continue
                words = (child.get("alt") or "") + (child.tail or "")
                parent.remove(child)
                if index:
                    parent[index - 1].tail = (parent[index - 1].tail or "") + words
                else:
                    parent.text = (parent.text or "") + words


def on_this_page(headings):
    """Return sanitised HTML listing links to the given (id, text) sections, for a long page."""
    nav = etree.Element("nav", {"class": "on-this-page", "aria-label": gettext("On this page")})
    title = etree.SubElement(nav, "p")
    etree.SubElement(title, "strong").text = gettext("On this page")
    items = etree.SubElement(nav, "ul")
    for anchor, text in headings:
        etree.SubElement(etree.SubElement(items, "li"), "a", {"href": f"#{anchor}"}).text = text
    return sanitise(etree.tostring(nav, encoding="unicode", method="html"))


_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_script_data(data):
    """Return data as JSON safe inside <script type="application/ld+json"> (no way to close the element)."""
    return mark_safe(json.dumps(data, ensure_ascii=False, sort_keys=True).translate(_JSON_SCRIPT_ESCAPES))
