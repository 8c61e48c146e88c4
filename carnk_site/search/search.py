"""Answer a reader's query from the search index: at most four SQL queries, usually three.

1. the synonym groups and the vocabulary near the typed words (engines.lexicon);
2. the ranked matches having every concept; only when they are fewer than three pages,
   2b. those having any concept, ranked after them;
3. the citations of the statements found.
"""

from dataclasses import dataclass, field

from carnk_site.evidence.models import Citation
from carnk_site.search import engines
from carnk_site.search.query import lookup_words, plan
from carnk_site.search.text import normalise
from carnk_site.text.levels import evidence_label, tellers_in_order

MAX_PAGES = engines.PAGES_SHOWN
MAX_CLAIMS = engines.CLAIM_ROWS
ENOUGH_PAGES = 3  # fewer pages with every word: add those with some of them, after
CITATIONS_PER_CLAIM = 4


@dataclass
class Page:
    """An article (at its best-matching section) or a glossary word."""

    kind: str
    key: str
    title: str
    heading: str
    url: str
    passage: list
    rank: float


@dataclass
class ClaimResult:
    """A matching statement with the passages that support it."""

    claim: object
    citations: list
    passage: list = field(default_factory=list)

    @property
    def label(self):
        """Return the claim's label from the citations already loaded: no query per claim."""
        tellers = tellers_in_order(c.source.teller for c in self.citations)
        return evidence_label(
            self.claim.evidence,
            self.claim.participants,
            tellers,
            statement_kind=self.claim.statement_kind,
            participants_stated=self.claim.participants_stated,
        )


@dataclass
class Results:
    """What a query found: pages (articles and glossary words) by relevance, then statements."""

    query: str
    cut: bool = False
    pages: list = field(default_factory=list)
    claims: list = field(default_factory=list)
    did_you_mean: str = ""
    partial: bool = False
    unknown: list = field(default_factory=list)

    @property
    def total(self):
        return len(self.pages) + len(self.claims)

    @property
    def articles(self):
        return [p for p in self.pages if p.kind == "article"]

    @property
    def terms(self):
        return [p for p in self.pages if p.kind == "term"]


def search(query):
    """Return the published pages and statements that best answer the query."""
    cleaned, cut = normalise(query)
    found = Results(query=cleaned, cut=cut)
    words = lookup_words(cleaned)
    if not words:
        return found
    engine = engines.current()
    groups, near = engine.lexicon(words)
    steps = plan(cleaned, groups, near)
    found.did_you_mean = steps.corrected_query
    found.unknown = steps.unknown
    concepts = [c.phrases for c in steps.concepts if c.phrases]
    if not concepts:
        return found
    matches = ranked(engine.find(concepts, every=True))
    if len(concepts) > 1 and len({(m.kind, m.key) for m in matches if m.kind != "claim"}) < ENOUGH_PAGES:
        seen = {m.pk for m in matches}
        some = [m for m in ranked(engine.find(concepts, every=False)) if m.pk not in seen]
        found.partial = not matches and bool(some)
        matches += some
    found.pages = best_per_page(matches)[:MAX_PAGES]
    claims = [m for m in matches if m.kind == "claim"][:MAX_CLAIMS]
    found.claims = claims_with_citations(claims)
    return found


def ranked(matches):
    return sorted(matches, key=lambda m: (-m.rank, m.kind, m.key, m.position))


def best_per_page(matches):
    """Return one result per article (its best section) and per glossary word, best first."""
    pages, seen = [], set()
    for m in matches:
        if m.kind == "claim" or (m.kind, m.key) in seen:
            continue
        seen.add((m.kind, m.key))
        pages.append(Page(m.kind, m.key, m.title, m.heading, m.url, segments(m.passage or m.text_b), m.rank))
    return pages


def segments(passage):
    """Split a highlighted passage into (text, matched) pieces, so the template escapes every piece."""
    pieces, matched = [], False
    for part in passage.replace(engines.STOP, engines.START).split(engines.START):
        if part:
            pieces.append((part, matched))
        matched = not matched
    return pieces


def claims_with_citations(matches):
    """Return the matched claims in rank order, each with its first citations and their sources: one query."""
    if not matches:
        return []
    order = {m.claim_id: i for i, m in enumerate(matches)}
    passages = {m.claim_id: segments(m.passage or m.text_b) for m in matches}
    citations = (
        Citation.objects.filter(claim_id__in=order, position__lte=CITATIONS_PER_CLAIM)
        .select_related("claim", "source")
        .only(
            "position",
            "claim__slug",
            "claim__statement",
            "claim__evidence",
            "claim__statement_kind",
            "claim__participants",
            "claim__participants_stated",
            "source__slug",
            "source__short_name",
            "source__commercial",
            "source__teller",
        )
        .order_by("claim_id", "position")
    )
    grouped = {}
    for citation in citations:
        grouped.setdefault(citation.claim_id, (citation.claim, []))[1].append(citation)
    ranked = sorted(grouped.items(), key=lambda item: order[item[0]])
    return [ClaimResult(claim, cites, passages[pk]) for pk, (claim, cites) in ranked]
