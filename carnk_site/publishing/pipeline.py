"""Refresh what a committed change can affect: the articles (and term explanations) it can re-render.

Each transaction collects its changes in one `Changes`; when it commits (`commit.publish`) or when
the writer calls `publish_pending()` at the end of its atomic block, the affected records are
re-rendered with one render context and written with bulk updates of derived fields only.
"""

import logging
import re
from contextlib import contextmanager
from dataclasses import dataclass, field

from asgiref.local import Local
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import Q

from carnk_site.articles.models import Article
from carnk_site.evidence.models import Citation, Claim
from carnk_site.glossary.models import Term
from carnk_site.publishing.contexts import claim_slugs_in, context_from_database
from carnk_site.publishing.records import ARTICLE_HTML_FIELDS, link_references, render_article
from carnk_site.text.rendering import UnknownReferences, render

logger = logging.getLogger(__name__)

# Above this many changed names, one regular expression over the texts beats one LIKE per name.
NAMES_IN_SQL = 20
# Articles linked per batch: a few thousand claim ids per query, well inside SQLite's limit on parameters.
LINK_BATCH = 200
# Each thread's (and each connection's) changes waiting for their transaction to commit.
_pending = Local()


@dataclass(eq=False)
class Changes:
    """What one transaction changed that derived content depends on."""

    claims: set = field(default_factory=set)
    sources: set = field(default_factory=set)
    terms: set = field(default_factory=set)
    names: set = field(default_factory=set)
    articles: set = field(default_factory=set)
    rendered: set = field(default_factory=set)  # articles that rendered themselves after the last change
    link_later: bool = False  # inside `links_in_one_batch`
    unlinked: dict = field(default_factory=dict)  # article pk -> (article, RenderedArticle) waiting for its links
    search: dict = field(default_factory=lambda: {"articles": set(), "terms": set(), "claims": set()})
    signed_evidence: dict = field(default_factory=lambda: {"claims": set(), "sources": set()})
    touched: set = field(default_factory=set)  # (model label, pk, slug, article id) of every record saved or deleted
    bump: bool = False
    done: bool = False

    def touch(self, label, record):
        """Note a saved or deleted record, for the cached pages showing it (`publishing.pages`)."""
        self.touched.add((label, record.pk, getattr(record, "slug", None), getattr(record, "article_id", None)))

    def dependency_changed(self):
        self.rendered.clear()
        self.bump = True

    def empty(self):
        return not (self.claims or self.sources or self.terms or self.names or self.articles)


@dataclass
class Refreshed:
    """How many articles were re-rendered, and which articles and term explanations actually changed."""

    rendered: int = 0
    changed_articles: set = field(default_factory=set)
    changed_terms: set = field(default_factory=set)
    queued: int = 0  # left to a background refresh

    @property
    def changed(self):
        return len(self.changed_articles)


def pending(using=None):
    """Return the changes collected in the current transaction on this connection (a new set outside one).

    Django has no public hook for a rollback, so changes a rolled-back block collected stay in the set
    and are refreshed with the next commit on this connection: a refresh re-renders from what the
    database holds, so that costs a little work and never shows anything that was not committed.
    """
    alias = using or DEFAULT_DB_ALIAS
    changes = getattr(_pending, alias, None)
    if changes is None or changes.done or transaction.get_autocommit(alias):
        changes = Changes()
        setattr(_pending, alias, changes)
    return changes


@contextmanager
def links_in_one_batch(using=None):
    """Store what the articles saved inside the block link to once, as it ends, rather than on each save.

    For a writer saving many articles (loadcontent): a few writes of the link tables instead of several an article.
    """
    changes = pending(using)
    changes.link_later = True
    try:
        yield
        saved = list(changes.unlinked.values())
        for start in range(0, len(saved), LINK_BATCH):
            link_references(saved[start : start + LINK_BATCH])
    finally:
        changes.link_later, changes.unlinked = False, {}


def publish_pending(using=None):
    """Refresh now, inside the writer's transaction; return what was refreshed. The cache is bumped on commit."""
    changes = getattr(_pending, using or DEFAULT_DB_ALIAS, None)
    if changes is None or changes.done:
        return Refreshed()
    result = refresh(changes)
    changes.claims, changes.sources, changes.terms, changes.names, changes.articles = set(), set(), set(), set(), set()
    changes.search["articles"] |= result.changed_articles
    changes.search["terms"] |= result.changed_terms
    return result


def refresh(changes, later=None, limit=None):
    """Re-render exactly the articles and term explanations the changes can affect.

    With `later`, more than `limit` articles are handed to it (ids, body-only ids) instead.
    """
    if changes.empty():
        return Refreshed()
    with transaction.atomic():
        claim_ids = set(changes.claims)
        if changes.sources:
            claim_ids |= set(Citation.objects.filter(source_id__in=changes.sources).values_list("claim_id", flat=True))
        by_claims, by_terms = affected_articles(changes, claim_ids)
        ids, body_only = by_claims | by_terms, by_terms - by_claims
        if later is not None and len(ids) > limit:
            later(ids, body_only)
            result = Refreshed(queued=len(ids))
        else:
            result = refresh_articles(ids, body_only=body_only)
        result.changed_terms = refresh_explanations(affected_terms(changes, claim_ids))
    return result


def affected_articles(changes, claim_ids):
    """Return the ids of the articles, published or draft, the changes can alter: (all of it, body only)."""
    ids = set(changes.articles)
    if claim_ids:
        ids |= set(Article.claims.through.objects.filter(claim_id__in=claim_ids).values_list("article_id", flat=True))
    by_terms = set()
    if changes.terms:
        by_terms |= set(
            Article.terms.through.objects.filter(term_id__in=changes.terms).values_list("article_id", flat=True)
        )
    # Key points never link glossary terms, so only the body can gain or lose a term link.
    by_terms |= _holding_names(Article.objects.exclude(pk__in=changes.rendered), "body", changes.names)
    return ids - changes.rendered, by_terms - changes.rendered


def articles_citing(claims=(), sources=()):
    """Return the ids of the articles that cite any of the claims, or a claim citing any of the sources."""
    claim_ids = set(claims)
    if sources:
        claim_ids |= set(Citation.objects.filter(source_id__in=sources).values_list("claim_id", flat=True))
    if not claim_ids:
        return set()
    return set(Article.claims.through.objects.filter(claim_id__in=claim_ids).values_list("article_id", flat=True))


def affected_terms(changes, claim_ids):
    """Return the terms whose explanation cites a changed claim or holds a changed name."""
    ids = set()
    if claim_ids:
        # Read in Python: one LIKE per changed claim is too deep an expression for SQLite after an import.
        slugs = set(Claim.objects.filter(pk__in=claim_ids).values_list("slug", flat=True))
        explained = Term.objects.exclude(explanation="").values_list("pk", "explanation")
        ids |= {pk for pk, text in explained.iterator() if slugs & claim_slugs_in(text)}
    ids |= _holding_names(Term.objects.exclude(explanation=""), "explanation", changes.names)
    return ids


def _holding_names(queryset, field_name, names):
    """Return the pks of records whose text holds any of the names, ignoring case (a cheap prefilter)."""
    names = {n for n in names if n}
    if not names:
        return set()
    if len(names) <= NAMES_IN_SQL:
        query = Q()
        for name in names:
            query |= Q(**{f"{field_name}__icontains": name})
        return set(queryset.filter(query).values_list("pk", flat=True))
    pattern = re.compile("|".join(re.escape(n.casefold()) for n in sorted(names, key=len, reverse=True)))
    return {pk for pk, text in queryset.values_list("pk", field_name).iterator() if pattern.search(text.casefold())}


def refresh_articles(ids, body_only=()):
    """Re-render the articles with one context; write only their derived fields and links.

    The rows are locked first, so an editor's save of one of them cannot interleave with its refresh.
    """
    if not ids:
        return Refreshed()
    rows = Article.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    articles = list(rows.only("pk", "slug", "body", "key_points", *ARTICLE_HTML_FIELDS))
    context = context_from_database(*(text for a in articles for text in (a.body, a.key_points)))
    rendered, changed = [], []
    for article in articles:
        before = [getattr(article, name) for name in ARTICLE_HTML_FIELDS]
        try:
            refs = render_article(article, context, key_points=article.pk not in body_only)
        except UnknownReferences as exc:
            logger.error("Article '%s' could not be re-rendered: %s", article.slug, exc)
            continue
        rendered.append((article, refs))
        if [getattr(article, name) for name in ARTICLE_HTML_FIELDS] != before:
            changed.append(article)
    Article.objects.bulk_update(changed, ARTICLE_HTML_FIELDS, batch_size=200)
    link_references(rendered)
    return Refreshed(rendered=len(rendered), changed_articles={a.pk for a in changed})


def refresh_explanations(ids):
    """Re-render the explanations of the given glossary terms; return the ids of those that changed."""
    if not ids:
        return set()
    terms = list(Term.objects.filter(pk__in=ids).only("pk", "slug", "explanation", "explanation_html"))
    context = context_from_database(*(t.explanation for t in terms))
    changed = []
    for term in terms:
        try:
            html = render(term.explanation, context).html
        except UnknownReferences as exc:
            logger.error("Glossary term '%s' could not be re-rendered: %s", term.slug, exc)
            continue
        if html != term.explanation_html:
            term.explanation_html = html
            changed.append(term)
    Term.objects.bulk_update(changed, ["explanation_html"], batch_size=200)
    return {term.pk for term in changed}
