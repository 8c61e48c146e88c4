"""Render one record's derived fields, and store which claims, terms and sources articles rest on."""

import math
import re
from collections import defaultdict
from dataclasses import dataclass

from carnk_site.articles.evidence_sections import evidence_sections
from carnk_site.articles.models import Article
from carnk_site.evidence.models import Citation, Claim
from carnk_site.glossary.models import Term
from carnk_site.publishing.contexts import context_from_database
from carnk_site.text.claim_links import CLAIM_REFERENCE
from carnk_site.text.headings import heading_ids, take_heading_ids
from carnk_site.text.profile import evidence_profile
from carnk_site.text.profile_strip import profile_strip_html
from carnk_site.text.rendering import on_this_page, render, split_on_this_page

WORDS_PER_MINUTE = 200
#: Past a short note, an article opens with a list of its sections (issue 23: "On this page" first).
ON_THIS_PAGE_MIN_WORDS = 250
TAG = re.compile(r"<[^>]+>")
ARTICLE_HTML_FIELDS = [
    "body_html",
    "key_points_html",
    "reading_minutes",
    "evidence_profile",
    "profile_strip_html",
    "profile_html",
    "claims_cited_html",
]


@dataclass
class RenderedArticle:
    """What a rendered article refers to, in order of appearance."""

    claim_slugs: list
    term_slugs: list


def render_article(article, context=None, *, key_points=True, follow=None):
    """Render an article's key points and body into its HTML fields; raise on unknown references.

    Key points never link glossary terms, so after a glossary change `key_points=False` keeps
    their stored HTML and renders the body only (about half the work). A translation passes its
    English article as `follow`: it takes the English heading ids, reading time and "On this page"
    (word counts do not carry across languages, and Chinese has no spaces to count words by).
    """
    context = context or context_from_database(article.body, article.key_points)
    lines = [line.strip() for line in (article.key_points or "").splitlines() if line.strip()]
    body = render(article.body, context)
    if key_points:
        points = render("\n".join(f"- {p}" for p in lines), context, link_terms=False)
        article.key_points_html = points.html if lines else ""
        point_claims = points.claim_slugs
    else:
        point_claims = list(dict.fromkeys(CLAIM_REFERENCE.findall(article.key_points or "")))
    html, headings = body.html, body.headings
    body_words = len(TAG.sub(" ", html).split())
    words = body_words + len(TAG.sub(" ", article.key_points_html).split())
    if follow is None:
        listed = body_words > ON_THIS_PAGE_MIN_WORDS and len(headings) > 1
        article.reading_minutes = max(1, math.ceil(words / WORDS_PER_MINUTE))
    else:
        english_nav, english_body = split_on_this_page(follow.body_html or "")
        html, headings = take_heading_ids(html, headings, heading_ids(english_body))
        listed = bool(english_nav) and len(headings) > 1
        article.reading_minutes = follow.reading_minutes
    article.body_html = on_this_page(headings) + html if listed else html
    used = list(dict.fromkeys(point_claims + body.claim_slugs))
    article.evidence_profile = evidence_profile(context.claims[slug] for slug in used if slug in context.claims)
    article.profile_strip_html = profile_strip_html(article.evidence_profile)
    article.profile_html, article.claims_cited_html = evidence_sections(article.evidence_profile)
    return RenderedArticle(
        claim_slugs=used,
        term_slugs=body.term_slugs,
    )


def carry_rendering(rendered, refs, article):
    """Give the article what a form already rendered from the same text, so that saving it renders nothing again."""
    for name in ARTICLE_HTML_FIELDS:
        setattr(article, name, getattr(rendered, name))
    article._carried_rendering = (rendered.body, rendered.key_points, refs)


def carried_rendering(article):
    """Return (and forget) the references of a carried rendering if it was made from the article's text now."""
    body, key_points, refs = article.__dict__.pop("_carried_rendering", (None, None, None))
    return refs if (body, key_points) == (article.body, article.key_points) else None


def render_explanation(term, context=None):
    """Render a glossary term's optional longer explanation into explanation_html."""
    if not term.explanation.strip():
        term.explanation_html = ""
        return
    term.explanation_html = render(term.explanation, context or context_from_database(term.explanation)).html


def link_references(rendered):
    """Make the stored links of each (article, RenderedArticle) pair match what it refers to.

    Bulk writes to the link tables only: no m2m_changed signal, no save, no history entry.
    """
    if not rendered:
        return
    ids = [article.pk for article, _ in rendered]
    claim_ids = dict(
        Claim.objects.filter(slug__in={s for _, r in rendered for s in r.claim_slugs}).values_list("slug", "pk")
    )
    term_ids = dict(
        Term.objects.filter(slug__in={s for _, r in rendered for s in r.term_slugs}).values_list("slug", "pk")
    )
    sources_of = {}
    for claim_id, source_id in Citation.objects.filter(claim_id__in=claim_ids.values()).values_list(
        "claim_id", "source_id"
    ):
        sources_of.setdefault(claim_id, set()).add(source_id)
    wanted = {"claim": set(), "term": set(), "source": set()}
    for article, refs in rendered:
        claims = [claim_ids[s] for s in refs.claim_slugs if s in claim_ids]
        wanted["claim"] |= {(article.pk, c) for c in claims}
        wanted["term"] |= {(article.pk, term_ids[s]) for s in refs.term_slugs if s in term_ids}
        wanted["source"] |= {(article.pk, s) for c in claims for s in sources_of.get(c, ())}
    for relation, kind in ((Article.claims, "claim"), (Article.terms, "term"), (Article.sources, "source")):
        _replace_links(relation.through, kind, ids, wanted[kind])


def _replace_links(through, kind, article_ids, wanted):
    column = f"{kind}_id"
    rows = through.objects.filter(article_id__in=article_ids)
    existing = set(rows.values_list("article_id", column))
    stale = existing - wanted
    by_article, by_other = defaultdict(list), defaultdict(list)
    for article_id, other in stale:
        by_article[article_id].append(other)
        by_other[other].append(article_id)
    # One DELETE per distinct value on the shorter side: a renamed term leaves 1,000 articles, not 1,000 queries.
    if len(by_other) < len(by_article):
        for other, article_ids in by_other.items():
            through.objects.filter(**{column: other}, article_id__in=article_ids).delete()
    else:
        for article_id, others in by_article.items():
            through.objects.filter(article_id=article_id, **{f"{column}__in": others}).delete()
    through.objects.bulk_create(
        (through(article_id=a, **{column: other}) for a, other in wanted - existing), batch_size=2000
    )
