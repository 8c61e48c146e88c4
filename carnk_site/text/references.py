"""References: the claims and glossary terms Markdown may name, and the step that links them.

`claim:` links become claim spans, `term:` links and the first mention of each glossary term
become links to the glossary, and anything named that does not exist is collected for the editor.
"""

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass

import markdown

from carnk_site.core import limits
from carnk_site.text.labels import attach_labels
from carnk_site.text.levels import (
    ParticipantsStated,
    StatementKind,
    Subject,
    evidence_label,
    legacy_level,
    rank,
    tellers_in_order,
)

MAX_NAME_LENGTH = limits.GLOSSARY_NAME
_NO_LINKING_INSIDE = frozenset({"a", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6"})
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
    statement_kind: str = StatementKind.FINDING.value
    about: str = Subject.CAR_NK.value
    participants_stated: str = ParticipantsStated.EXACTLY.value

    @property
    def tellers(self):
        """Return who tells this claim: the distinct tellers of its cited sources."""
        return tellers_in_order(c.teller for c in self.citations)

    @property
    def label(self):
        return evidence_label(
            self.level,
            self.participants,
            self.tellers,
            statement_kind=self.statement_kind,
            participants_stated=self.participants_stated,
        )

    @property
    def rank(self):
        return rank(self.level, self.statement_kind)


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


class ReferenceLinker(markdown.treeprocessors.Treeprocessor):
    """Resolve claim: and term: links, link the first mention of each glossary term, then attach evidence labels."""

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
            attach_labels(root, self.context.claims)

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
        a.set("data-statement-kind", claim.statement_kind)
        a.set("data-about", claim.about)

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
