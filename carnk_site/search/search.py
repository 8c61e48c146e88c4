"""Answer a reader's query from the search index: at most four SQL queries, usually three.

1. the synonym groups, the intents and the vocabulary near the typed words (engines.lexicon);
2. the ranked matches having every concept, with the sections the query's intents point to;
   only when they are fewer than three pages,
   2b. those having any concept, ranked after them;
3. the citations of the statements found and of the claims the answering sentences state.

Ranking: each kind's ranks are scaled to the best of the kind, so both engines score alike.
Pages with every concept come before pages with some; an intended section is lifted by
INTENT_BOOST (a boost: text that answers better still wins), and one that does not hold the
words at all sits between the best and the weakest full matches. A question made only of intent
phrases ("how much") gets the intents' sections in the order the editors listed them. Articles and glossary words are
separate lists: a definition never pushes an article section that answers down the page.

In another language (`language`), the question is cut into the tokens of search/scripts.py and
matched against that language's rows (published translations): every token, then, with too few
pages, any. The passage is the translated sentence holding most of the question. When nothing in
the language matches, the English results are returned, marked as English (`in_english_instead`).
"""

import json
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate

from carnk_site.evidence.models import Citation
from carnk_site.search import engines, scripts
from carnk_site.search.query import lookup_words, plan, typed_parts
from carnk_site.search.text import normalise, parts
from carnk_site.text.levels import evidence_label, tellers_in_order

MAX_PAGES = engines.PAGES_SHOWN
MAX_TERMS = 5  # glossary words, in their own small group
MAX_CLAIMS = engines.CLAIM_ROWS
ENOUGH_PAGES = 3  # fewer pages with every word: add those with some of them, after
CITATIONS_PER_CLAIM = 4
INTENT_BOOST = 1.0  # added to an intended section's score (a full match scores 1 to 2)
INTENDED_UNMATCHED = 1.5  # an intended section without the words: between the best and the weakest full match
INTENDED_ONLY = 2.0  # a question of intent phrases only ("how much"): its sections first, in the editors' order
WORD = re.compile(r"[^\W_]+")


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
    claim_id: int = 0  # the claim the answering sentence states
    claim: object = None
    label: str = ""


@dataclass
class ClaimResult:
    """A matching statement with the passages that support it."""

    claim: object
    citations: list
    passage: list = field(default_factory=list)

    @property
    def label(self):
        """Return the claim's label from the citations already loaded: no query per claim."""
        return claim_label(self.claim, self.citations)


def claim_label(claim, citations):
    tellers = tellers_in_order(c.source.teller for c in citations)
    return evidence_label(
        claim.evidence,
        claim.participants,
        tellers,
        statement_kind=claim.statement_kind,
        participants_stated=claim.participants_stated,
    )


@dataclass
class Results:
    """What a query found: articles and glossary words by relevance, then statements."""

    query: str
    cut: bool = False
    pages: list = field(default_factory=list)
    claims: list = field(default_factory=list)
    did_you_mean: str = ""  # the query as searched, when a typo was corrected
    as_typed: bool = False  # the reader asked for no corrections
    partial: bool = False
    unknown: list = field(default_factory=list)
    intents: list = field(default_factory=list)  # names of the intents the query met
    language: str = "en"  # the language of the results
    in_english_instead: bool = False  # nothing in the reader's language matched: these are English

    @property
    def total(self):
        return len(self.pages) + len(self.claims)

    @property
    def articles(self):
        return [p for p in self.pages if p.kind == "article"]

    @property
    def terms(self):
        return [p for p in self.pages if p.kind == "term"]


def search(query, as_typed=False, language="en"):
    """Return the published pages and statements that best answer the query, in `language` if any match."""
    if language != "en":
        found = search_in_language(query, language)
        if found.total or not typed_parts(found.query):
            return found
        english = search(query, as_typed=as_typed)
        english.in_english_instead = bool(english.total)
        return english if english.total else found
    cleaned, cut = normalise(query)
    found = Results(query=cleaned, cut=cut, as_typed=as_typed)
    if not typed_parts(cleaned):
        return found
    engine = engines.current()
    groups, near, intent_rows = engine.lexicon(lookup_words(cleaned))
    steps = plan(cleaned, groups, near, intent_rows, as_typed=as_typed)
    found.did_you_mean = steps.corrected_query
    found.unknown = steps.unknown
    found.intents = [intent.name for intent in steps.intents]
    targets = list(dict.fromkeys(section for intent in steps.intents for section in intent.sections))
    concepts, tier = steps.required, 1.0
    if not concepts:
        concepts, tier = steps.fallback, 0.0  # only the intents' own words: their sections come first
    if not concepts and not targets:
        return found
    matches = scored(engine.find(concepts, every=True, targets=targets), targets, tier)
    found_pages = {(m.kind, m.key) for m in matches if m.kind != "claim" and m.rank}
    if tier and len(concepts) > 1 and len(found_pages) < ENOUGH_PAGES:  # an intent's own words need not all meet
        seen = {m.pk for m in matches}
        some = [m for m in scored(engine.find(concepts, every=False), (), 0.0) if m.pk not in seen]
        found.partial = not any(m.rank for m in matches) and bool(some)
        matches = ordered(matches + some)
    answering = Answering.of(concepts)
    articles = best_per_page([m for m in matches if m.kind == "article"], answering, MAX_PAGES)
    terms = best_per_page([m for m in matches if m.kind == "term"], answering, MAX_TERMS)
    found.pages = articles + terms
    claims = [m for m in matches if m.kind == "claim"][:MAX_CLAIMS]
    found.claims = claims_with_citations(claims, articles)
    return found


def scored(matches, targets, tier):
    """Return the matches, one per row, best first: ranks scaled per kind, intended sections lifted."""
    wanted = set(engines.target_urls(targets))
    articles_with_target = {m.key for m in matches if m.intended and m.url in wanted}
    merged = {}
    for m in matches:
        # An intended row only counts where it is a target, or its article's opening standing in for a
        # heading that has gone.
        m.intended = m.intended and (m.url in wanted or (m.position == 0 and m.key not in articles_with_target))
        kept = merged.get(m.pk)
        if kept is None:
            merged[m.pk] = m
        else:
            kept.intended = kept.intended or m.intended
            kept.rank = max(kept.rank, m.rank)
            kept.passage = kept.passage or m.passage
    best = {}
    for m in merged.values():
        best[m.kind] = max(best.get(m.kind, 0.0), m.rank)
    order = {url: i for i, url in enumerate(engines.target_urls(targets))}
    kept = []
    for m in merged.values():
        m.order = order.get(m.url, len(order))
        if m.intended and not tier:
            m.score = INTENDED_ONLY - m.order / 100  # the question is all intent: the editors' order leads
        elif m.rank > 0:
            m.score = tier + m.rank / best[m.kind] + (INTENT_BOOST if m.intended else 0.0)
        elif m.intended:
            m.score = INTENDED_UNMATCHED
        else:
            continue  # a target's article opening that stood in for nothing
        kept.append(m)
    return ordered(kept)


def ordered(matches):
    return sorted(matches, key=lambda m: (-m.score, m.order, m.kind, m.key, m.position))


@dataclass
class Answering:
    """The question's concepts as patterns, built once per search and run over each result's sentences."""

    concepts: list  # one compiled pattern per concept
    every: object  # one pattern for all their words, to mark them

    @classmethod
    def of(cls, concepts):
        words = [{w for phrase in phrases for w in parts(phrase) if len(w) > 2} for phrases in concepts]
        return cls([p for p in map(words_pattern, words) if p], words_pattern(set().union(*words)))


def best_per_page(matches, answering, limit):
    """Return one result per article (its best section) and per glossary word, best first, at most `limit`."""
    pages, seen = [], set()
    for m in matches:
        if len(pages) == limit:
            break
        if (m.kind, m.key) in seen:
            continue
        seen.add((m.kind, m.key))
        page = Page(m.kind, m.key, m.title, m.heading, m.url, segments(m.passage or m.text_b), m.score)
        if m.kind == "article" and m.sentences:
            page.passage, page.claim_id = answering_sentence(json.loads(m.sentences), answering)
        pages.append(page)
    return pages


PREFIX = (
    5  # words this long or longer also meet by their first letters: a sentence says "responded", a query "response"
)


def words_pattern(words):
    """Return a regex finding any of the folded words in a sentence: exactly, or by their first PREFIX letters.

    One compiled pattern per concept scans a whole section in C, not word by word in Python: a
    results page picks the answering sentence out of some four hundred.
    """
    words = {w for w in words if w}
    if not words:
        return None
    prefixes = sorted({w[:PREFIX] for w in words if len(w) >= PREFIX})
    exact = sorted(w for w in words if len(w) < PREFIX)
    choices = [re.escape(p) + r"\w*" for p in prefixes] + [re.escape(w) for w in exact]
    return re.compile(r"\b(?:" + "|".join(choices) + r")\b", re.IGNORECASE)


def answering_sentence(sentences, answering):
    """Return (the sentence that answers, as (text, matched) pieces; the id of the claim it states, or 0).

    The sentence holding the most of the question's concepts answers; a sentence stating a claim
    wins a tie (it is a fact with its label), then the earlier one. With no concept in any
    sentence (a section an intent points to), the first sentence of more than three words:
    sections open with their answer.
    """
    joined = "\n".join(text for text, _claim in sentences)
    starts = list(accumulate((len(text) + 1 for text, _claim in sentences[:-1]), initial=0))
    concepts_in = [set() for _ in sentences]
    for n, pattern in enumerate(answering.concepts):
        for found in pattern.finditer(joined):
            concepts_in[bisect_right(starts, found.start()) - 1].add(n)
    best, best_score = None, (0, False)
    for i, (_text, claim) in enumerate(sentences):
        if concepts_in[i] and (best is None or (len(concepts_in[i]), bool(claim)) > best_score):
            best, best_score = i, (len(concepts_in[i]), bool(claim))
    if best is None:
        best = next((i for i, (text, _claim) in enumerate(sentences) if len(text.split()) > 3), 0)
    text, claim = sentences[best]
    return highlighted(text, answering.every if best_score[0] else None), claim


def highlighted(text, pattern):
    """Split a sentence into (text, matched) pieces, what `pattern` finds matched."""
    if pattern is None:
        return [(text, False)]
    pieces, last = [], 0
    for found in pattern.finditer(text):
        if found.start() > last:
            pieces.append((text[last : found.start()], False))
        pieces.append((found.group(), True))
        last = found.end()
    if last < len(text):
        pieces.append((text[last:], False))
    return pieces


def segments(passage):
    """Split a highlighted passage into (text, matched) pieces, so the template escapes every piece."""
    pieces, matched = [], False
    for part in passage.replace(engines.STOP, engines.START).split(engines.START):
        if part:
            pieces.append((part, matched))
        matched = not matched
    return pieces


def claims_with_citations(matches, pages=()):
    """Return the matched claims in rank order, each with its first citations and their sources, and give
    each page the claim its answering sentence states, with its label: one query."""
    stated = {p.claim_id for p in pages if p.claim_id}
    if not matches and not stated:
        return []
    order = {m.claim_id: i for i, m in enumerate(matches)}
    passages = {m.claim_id: segments(m.passage or m.text_b) for m in matches}
    citations = Citation.objects.filter(claim_id__in=sorted(stated | set(order)), position__lte=CITATIONS_PER_CLAIM)
    citations = (
        citations.select_related("claim", "source")
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
    for page in pages:
        if page.claim_id in grouped:
            page.claim, cites = grouped[page.claim_id]
            page.label = claim_label(page.claim, cites)
    ranked = sorted(((pk, v) for pk, v in grouped.items() if pk in order), key=lambda item: order[item[0]])
    return [ClaimResult(claim, cites, passages[pk]) for pk, (claim, cites) in ranked]


def search_in_language(query, language):
    """Return the published translations into `language` that best answer the query (see the module's note)."""
    cleaned, cut = normalise(query)
    found = Results(query=cleaned, cut=cut, language=language)
    concepts = scripts.query_concepts(cleaned, language)
    if not concepts:
        return found
    wanted = scripts.query_tokens(cleaned, language)
    engine = engines.current()
    matches = scored(engine.find(concepts, every=True, language=language), (), 1.0)
    if len(concepts) > 1 and len({(m.kind, m.key) for m in matches if m.kind != "claim"}) < ENOUGH_PAGES:
        seen = {m.pk for m in matches}
        some = [m for m in scored(engine.find(concepts, every=False, language=language), (), 0.0) if m.pk not in seen]
        found.partial = not matches and bool(some)
        matches = ordered(matches + some)
    stated = {}
    for m in matches:
        m.passage, stated[m.pk] = translated_passage(m, wanted, language)
        m.sentences = ""
    articles = best_per_page([m for m in matches if m.kind == "article"], None, MAX_PAGES)
    claim_of = {m.url: stated[m.pk] for m in matches if m.kind == "article"}
    for page in articles:
        page.claim_id = claim_of.get(page.url, 0)
    terms = best_per_page([m for m in matches if m.kind == "term"], None, MAX_TERMS)
    found.pages = articles + terms
    found.claims = claims_with_citations([m for m in matches if m.kind == "claim"][:MAX_CLAIMS], articles)
    return found


def translated_passage(match, wanted, language):
    """Return (the row's readable sentence holding most of the question, marked as the engines mark a passage;
    the claim that sentence states, or 0)."""
    sentences = json.loads(match.sentences) if match.sentences else [[match.title, 0]]
    best = max(sentences, key=lambda pair: scripts.hits(pair[0], wanted, language))
    pieces = scripts.marked(best[0], wanted, language)
    return "".join(f"{engines.START}{text}{engines.STOP}" if hit else text for text, hit in pieces), best[1]
