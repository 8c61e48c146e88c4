"""Make a synthetic library of realistic size and write it as real content files.

The benchmark and the query-budget tests both use it: the loader then imports it like any
content folder, so the figures include checking, rendering and writing. Lengths follow the
shipped content: articles of about 1,200 words with a dozen claims each, one-sentence claims
quoted from sources of 20 to 40 kB, glossary terms with aliases and some explanations.
Words are drawn from the shipped content's own vocabulary (a few thousand words) with a Zipf
distribution over their frequency ranks, so search sees common and rare words as on the real
site rather than a hundred words that every page contains.
"""

import datetime
import functools
import itertools
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from carnk_site.text.checks import BANNED, TRIAL_KINDS
from carnk_site.text.levels import EvidenceLevel, ParticipantsStated, StatementKind, Subject

SHIPPED_CONTENT = Path(__file__).resolve().parents[2] / "content"
LINK_TARGET = re.compile(r"\]\([^)]*\)")
FRONT_MATTER_KEY = re.compile(r"^\s*-?\s*(\w+):", re.MULTILINE)
NOT_PROSE = re.compile(
    r"^\s*-?\s*(id|source|status|order|last_reviewed|next_review_due|evidence|participants):.*$", re.M
)
LETTERS = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")
FALLBACK_WORDS = "cells treatment trial people doctors cancer blood immune study results patients donor".split()
SYLLABLES = "ba ce di fo gu ka le mi no pu ra se ti vo zu".split()
NOUNS = "cell receptor protein therapy marker test syndrome factor pathway antibody".split()
LEVELS = list(EvidenceLevel.values)


@dataclass
class Record:
    """One content file: its id, front-matter fields and Markdown body."""

    slug: str
    data: dict
    body: str = ""


@dataclass
class Library:
    """A whole synthetic content folder, kept in memory until written."""

    sources: list = field(default_factory=list)
    terms: list = field(default_factory=list)
    claims: list = field(default_factory=list)
    articles: list = field(default_factory=list)


def make_library(*, articles=1000, claims=10000, terms=500, sources=50, seed=1):
    """Return a deterministic synthetic library of the given size."""
    rng = random.Random(seed)
    library = Library()
    quotes = {i: [] for i in range(sources)}
    for i in range(claims):
        slug = f"claim-{i:05d}"
        cited = rng.sample(range(sources), 2 if rng.random() < 0.15 else 1)
        citations = []
        # Labels say only what the quotes support (as an editor's must): the quotes state the number
        # of people, and an "approved" statement is about an approval.
        participants = rng.choice([None, rng.randint(3, 400)])
        for s in cited:
            people = f", {participants} people" if participants else ""
            quote = f"{_sentence(rng, 14, 24).rstrip('.')} (finding {i}{people})."
            quotes[s].append(quote)
            citations.append({"source": f"source-{s:02d}", "quote": quote})
        evidence = rng.choice(LEVELS)
        biology = evidence == EvidenceLevel.BASIC_BIOLOGY  # only background may rest on basic biology
        data = {
            "id": slug,
            "statement": _sentence(rng, 12, 28),
            "statement_kind": (StatementKind.BACKGROUND if biology else StatementKind.FINDING).value,
            "about": (Subject.NK_CELLS if biology else Subject.CAR_NK).value,
            "evidence": evidence,
        }
        if data["evidence"] == EvidenceLevel.APPROVED:
            data["statement"] += " A regulator approved it."
        if participants is not None:
            data["participants"] = participants
        elif evidence in TRIAL_KINDS:  # a trial finding always says how many people, or that it is not given
            data["participants_stated"] = ParticipantsStated.NOT_GIVEN.value
        data["citations"] = citations
        library.claims.append(Record(slug, data))
    for s in range(sources):
        paragraphs = [" ".join([q, _sentence(rng, 10, 22), _sentence(rng, 10, 22)]) for q in quotes[s]]
        data = {
            "id": f"source-{s:02d}",
            "title": f"Report number {s} on {_words(rng, 3)}",
            "short_name": f"Report {s}",
            "publisher": f"Publisher {s}",
            "author": "",
            "date": "January 9, 2026",
            "kind": "Medical news article",
            "commercial": s % 5 == 0,
            "teller": "seller" if s % 5 == 0 else "news-report",
            "interests": f"Publisher {s} {'sells consultations' if s % 5 == 0 else 'sells nothing to readers'}.",
        }
        library.sources.append(Record(data["id"], data, "\n\n".join(paragraphs) + "\n"))
    names = []
    for t in range(terms):
        name = _term_name(t)
        aliases = [_acronym(t)] if t % 3 == 0 else []
        names.append((f"term-{t:03d}", name, aliases))
        body = _paragraph(rng, 3) + "\n" if t % 4 == 0 else ""
        data = {"id": f"term-{t:03d}", "term": name, "aliases": aliases, "definition": _sentence(rng, 10, 20)}
        library.terms.append(Record(data["id"], data, body))
    per_article = max(1, claims // max(articles, 1))
    start = datetime.date(2026, 11, 21)
    for a in range(articles):
        own = [f"claim-{(a * per_article + k) % claims:05d}" for k in range(per_article)]
        cited = own + [f"claim-{rng.randrange(claims):05d}" for _ in range(3)]
        mentioned = rng.sample(names, min(15, len(names)))
        data = {
            "id": f"article-{a:04d}",
            "title": _words(rng, 5).capitalize(),
            "summary": _sentence(rng, 12, 22),
            "order": a,
            "status": "draft" if a % 20 == 19 else "published",
            "last_reviewed": start,
            "next_review_due": start + datetime.timedelta(days=180),
            "key_points": [
                f"{_sentence(rng, 6, 10).rstrip('.')} [{_words(rng, 4)}](claim:{slug})." for slug in cited[:4]
            ],
        }
        library.articles.append(Record(data["id"], data, _article_body(rng, cited, mentioned)))
    return library


def write_library(library, root):
    """Write the library as a content folder under root, in the format the loader reads."""
    root = Path(root)
    for folder, records, extension in (
        ("sources", library.sources, ".md"),
        ("glossary", library.terms, ".md"),
        ("claims", library.claims, ".yaml"),
        ("articles", library.articles, ".md"),
    ):
        (root / folder).mkdir(parents=True, exist_ok=True)
        for record in records:
            front = yaml.safe_dump(record.data, sort_keys=False, allow_unicode=True, width=1000)
            text = front if extension == ".yaml" else f"---\n{front}---\n{record.body}"
            (root / folder / f"{record.slug}{extension}").write_text(text, encoding="utf-8")
    return root


def _article_body(rng, claims, terms):
    """About 1,200 words in six sections, with claim links and glossary mentions."""
    claims, terms = list(claims), list(terms)
    sections = []
    for n in range(6):
        paragraphs = []
        for _ in range(4):
            sentences = [_sentence(rng, 8, 16) for _ in range(5)]  # plain enough to publish (grade <= 9)
            if claims and rng.random() < 0.7:
                sentences[rng.randrange(5)] = f"[{_sentence(rng, 8, 14).rstrip('.')}](claim:{claims.pop()})."
            if terms:
                slug, name, aliases = terms.pop()
                mention = rng.choice([name, *aliases]) if len(terms) % 5 else f"[{name.lower()}](term:{slug})"
                sentences[rng.randrange(5)] += f" This is where {mention} matters."
            paragraphs.append(" ".join(sentences))
        heading = "What we don't know yet" if n == 5 else _words(rng, 3).capitalize()
        sections.append(f"## {heading}\n\n" + "\n\n".join(paragraphs))
    tail = " ".join(f"[{_words(rng, 5)}](claim:{slug})." for slug in claims)
    return "\n\n".join(sections) + (f"\n\n{tail}" if tail else "") + "\n"


def _term_name(index):
    """Return a made-up, unique two-word name, e.g. 'Kalemi receptor'."""
    base = len(SYLLABLES)
    word = "".join(SYLLABLES[(index // base**k) % base] for k in range(3))
    return f"{word.capitalize()} {NOUNS[index % len(NOUNS)]}"


def _acronym(index):
    return f"{chr(65 + index // 26 % 26)}{chr(65 + index % 26)}Q"


@functools.cache
def vocabulary():
    """Return (words by falling frequency in the shipped content, cumulative Zipf weights 1/rank)."""
    counts = Counter()
    for path in sorted(SHIPPED_CONTENT.glob("*/*.*")):
        if path.parent.name in ("articles", "glossary", "claims"):
            text = LINK_TARGET.sub("]", path.read_text(encoding="utf-8"))
            text = FRONT_MATTER_KEY.sub(" ", NOT_PROSE.sub(" ", text))
            counts.update(w if w.isupper() and len(w) > 1 else w.lower() for w in LETTERS.findall(text))
    # Not the words the editorial checks refuse (hype, acronyms with no synthetic glossary entry):
    # the library must load as an editor's would.
    words = [
        w for w, _n in counts.most_common() if (len(w) > 1 or w == "a") and not w.isupper() and not BANNED.search(w)
    ] or FALLBACK_WORDS
    return words, list(itertools.accumulate(1 / rank for rank in range(1, len(words) + 1)))


def _words(rng, count):
    words, weights = vocabulary()
    return " ".join(rng.choices(words, cum_weights=weights, k=count))


def _sentence(rng, shortest, longest):
    return _words(rng, rng.randint(shortest, longest)).capitalize() + "."


def _paragraph(rng, sentences):
    return " ".join(_sentence(rng, 8, 18) for _ in range(sentences))
