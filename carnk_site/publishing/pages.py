"""Which cached pages a committed change makes stale, as the names they depend on (`caching.dependencies`).

The pipeline knows what each transaction saved and re-rendered; this turns that into the few
names whose pages show it: a claim's pop-up, the articles and sources citing it, the open data.
Lists (home page, article index, neighbours' links) go stale only when what they show changed,
which a fingerprint of the published articles' listed fields tells. A record this module does not
know marks every page stale, so a new model in the TABLE can never leave a page out of date.
"""

import hashlib

from carnk_site.articles.models import Article
from carnk_site.caching import dependencies
from carnk_site.caching.version import changed_fingerprints
from carnk_site.evidence.models import Citation, Claim, Source
from carnk_site.glossary.models import Term

ARTICLE, CLAIM, CITATION, SOURCE, TERM = (
    "articles.article",
    "evidence.claim",
    "evidence.citation",
    "evidence.source",
    "glossary.term",
)
TITLE_FIELDS = ("slug", "title", "order")
MANY = 1000
LISTED_FIELDS = ("summary", "reading_minutes", "evidence_profile")


def stale_names(changes, result):
    """Return the names of what the committed changes altered, or None when every page may show it."""
    touched = {}
    for label, pk, slug, article_id in changes.touched:
        touched.setdefault(label, set()).add((pk, slug, article_id))
    if set(touched) - KNOWN:
        return None
    names = {dependencies.ANY}
    showing_notes = set()
    claims = set(changes.search["claims"]) | changes.claims | _pks(touched, CLAIM)
    sources = set(changes.sources) | _pks(touched, SOURCE)
    terms = set(changes.search["terms"]) | _pks(touched, TERM) | result.changed_terms
    saved_articles = _pks(touched, ARTICLE)
    articles = set(changes.search["articles"]) | changes.articles | saved_articles | result.changed_articles
    articles |= {article_id for label in SIGNED_OFF for _, _, article_id in touched.get(label, ())}
    if claims or sources or CITATION in touched:
        names.add(dependencies.EVIDENCE)
    if claims:
        names |= {
            dependencies.claim(slug) for slug in Claim.objects.filter(pk__in=claims).values_list("slug", flat=True)
        }
        # Articles citing a claim show its notes for readers; source pages show its statement and label.
        citing = Article.claims.through.objects.filter(claim_id__in=claims).values_list("article_id", flat=True)
        showing_notes = set(citing)
        citing_sources = Citation.objects.filter(claim_id__in=claims).values_list("source__slug", flat=True)
        names |= {dependencies.source(slug) for slug in citing_sources}
    if sources:
        slugs = Source.objects.filter(pk__in=sources).values_list("slug", flat=True)
        names |= {dependencies.source(slug) for slug in slugs}
        # A source's names and kind show on the pop-ups of the claims citing it and on the articles listing it.
        cited = Citation.objects.filter(source_id__in=sources).values_list("claim__slug", flat=True)
        names |= {dependencies.claim(slug) for slug in cited}
        articles |= set(
            Article.sources.through.objects.filter(source_id__in=sources).values_list("article_id", flat=True)
        )
    if terms or TERM in touched:
        names.add(dependencies.TERMS)
        names |= {dependencies.term(slug) for slug in Term.objects.filter(pk__in=terms).values_list("slug", flat=True)}
    if saved_articles or changes.terms or changes.names or ARTICLE in touched:
        names.add(dependencies.ARTICLE_LINKS)  # which articles hold which claims, terms and sources
    if articles or showing_notes or ARTICLE in touched:
        slugs = set(Article.objects.filter(pk__in=articles | showing_notes).values_list("slug", flat=True))
        names |= {dependencies.article(slug) for slug in slugs}
        names |= _changed_lists(articles)
    if "review.reviewerprofile" in touched:
        names.add(dependencies.REVIEWERS)
    for label in (CLAIM, SOURCE, TERM, ARTICLE, "trust.trustpage"):  # deleted records: their slugs, as they were
        name = NAMED[label]
        names |= {name(slug) for _, slug, _ in touched.get(label, ()) if slug}
    return names if len(names) <= MANY else None  # an import: one site-wide bump beats thousands of names


def store_list_fingerprints():
    """Remember what the lists show now, for a library written without the pipeline (bulk inserts)."""
    _changed_lists(set())


def _pks(touched, label):
    return {pk for pk, _, _ in touched.get(label, ()) if pk is not None}


def _changed_lists(articles):
    """Return TITLES, LISTING and INTRO as far as what they show changed; store their fingerprints."""
    rows = list(Article.objects.published().order_by("order", "title").values_list("pk", *TITLE_FIELDS, *LISTED_FIELDS))
    titles = hashlib.sha256(repr([row[1:4] for row in rows]).encode()).hexdigest()
    listing = hashlib.sha256(repr([row[1:] for row in rows]).encode()).hexdigest()
    changed = changed_fingerprints({dependencies.TITLES: titles, dependencies.LISTING: listing})
    if dependencies.TITLES in changed:
        changed.add(dependencies.LISTING)
    if dependencies.LISTING in changed or (rows and rows[0][0] in articles):
        changed.add(dependencies.INTRO)
    return changed


SIGNED_OFF = ("review.approval", "review.signoff")
NAMED = {
    CLAIM: dependencies.claim,
    SOURCE: dependencies.source,
    TERM: dependencies.term,
    ARTICLE: dependencies.article,
    "trust.trustpage": dependencies.page,
}
KNOWN = {*NAMED, CITATION, *SIGNED_OFF, "review.reviewerprofile", "search.synonymgroup"}
