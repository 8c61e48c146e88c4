"""Find published articles, glossary terms and published claims that contain every word of a query.

Plain `icontains` filters, so it behaves the same on SQLite and PostgreSQL. The site is small
(dozens of articles, hundreds of claims); a full-text index would be more machinery than it needs.
"""

from dataclasses import dataclass, field
from functools import reduce
from operator import and_, or_

from django.db.models import Q

from carnk_site.articles.models import Article
from carnk_site.evidence.levels import evidence_label, tellers_in_order
from carnk_site.evidence.models import Citation, Claim
from carnk_site.glossary.models import Term

MAX_QUERY_LENGTH = 100
MAX_WORDS = 8
MAX_RESULTS = 50
CITATIONS_PER_CLAIM = 4


@dataclass
class ClaimResult:
    """A matching claim with the passages that support it."""

    claim: Claim
    citations: list

    @property
    def label(self):
        """Return the claim's label from the citations already loaded: no query per claim."""
        tellers = tellers_in_order(c.source.teller for c in self.citations)
        return evidence_label(self.claim.evidence, self.claim.participants, tellers)


@dataclass
class Results:
    """What a query found, by kind, in reading order."""

    query: str
    articles: list = field(default_factory=list)
    terms: list = field(default_factory=list)
    claims: list = field(default_factory=list)

    @property
    def total(self):
        return len(self.articles) + len(self.terms) + len(self.claims)


def words(query):
    """Return the distinct words of a query, trimmed to a sensible size."""
    seen = []
    for word in query[:MAX_QUERY_LENGTH].split():
        if word.casefold() not in (w.casefold() for w in seen):
            seen.append(word)
    return seen[:MAX_WORDS]


def matching(fields, query_words):
    """Return a Q that is true when every word occurs in at least one of the fields."""
    return reduce(and_, (reduce(or_, (Q(**{f"{name}__icontains": word}) for name in fields)) for word in query_words))


def search(query):
    """Return the published articles, terms and published claims that match every word of the query: three queries."""
    query_words = words(query)
    found = Results(query=" ".join(query_words))
    if not query_words:
        return found
    found.articles = list(
        Article.objects.published()
        .filter(matching(["title", "summary", "key_points", "body"], query_words))
        .only("slug", "title", "summary")[:MAX_RESULTS]
    )
    found.terms = list(Term.objects.filter(matching(["term", "aliases", "definition"], query_words))[:MAX_RESULTS])
    found.claims = claims_with_citations(Claim.objects.published().filter(matching(["statement"], query_words)))
    return found


def claims_with_citations(claims):
    """Return up to MAX_RESULTS of the claims, each with its citations and their sources, from one query."""
    limit = MAX_RESULTS * CITATIONS_PER_CLAIM
    citations = list(
        Citation.objects.filter(claim__in=claims.values("pk"))
        .select_related("claim", "source")
        .only(
            "position",
            "claim__slug",
            "claim__statement",
            "claim__evidence",
            "claim__participants",
            "source__slug",
            "source__short_name",
            "source__commercial",
            "source__teller",
        )
        .order_by("claim__slug", "position")[:limit]
    )
    grouped = {}
    for citation in citations:
        grouped.setdefault(citation.claim.slug, (citation.claim, []))[1].append(citation)
    if len(citations) == limit:
        grouped.popitem()  # the last claim's citations may have been cut off
    return [ClaimResult(claim, cites) for claim, cites in list(grouped.values())[:MAX_RESULTS]]
