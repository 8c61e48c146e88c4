"""Render articles with what the database (or an import in progress) knows about claims and terms."""

import math
import re
from dataclasses import dataclass

from django.urls import reverse

from carnk_site.evidence.models import Claim
from carnk_site.glossary.models import Term

from .rendering import CitationRef, ClaimRef, RenderContext, TermRef, on_this_page, render

CLAIM_REFERENCE = re.compile(r"\]\(\s*claim:([^)\s]+)")
WORDS_PER_MINUTE = 200
#: About three phone screens of text: longer articles open with a list of their sections.
ON_THIS_PAGE_MIN_WORDS = 600
TAG = re.compile(r"<[^>]+>")


def citation_url(source_slug, claim_slug, position):
    """Return the link to a citation's passage on its source page."""
    return reverse("evidence:source", args=[source_slug]) + f"#cite-{claim_slug}-{position}"


def term_ref(slug, term, aliases):
    """Return the rendering view of a glossary term."""
    return TermRef(slug=slug, names=(term, *aliases), url=reverse("glossary:term", args=[slug]))


def claim_ref(claim):
    """Return the rendering view of a saved claim (citations and sources prefetched)."""
    return ClaimRef(
        slug=claim.slug,
        level=claim.evidence,
        participants=claim.participants,
        citations=tuple(
            CitationRef(c.source.short_name, c.source.commercial, citation_url(c.source.slug, claim.slug, c.position))
            for c in claim.citations.all()
        ),
    )


def context_from_database(*texts):
    """Build a render context with every glossary term and the claims the texts refer to."""
    wanted = {slug for text in texts for slug in CLAIM_REFERENCE.findall(text or "")}
    claims = Claim.objects.filter(slug__in=wanted).prefetch_related("citations__source")
    terms = Term.objects.only("slug", "term", "aliases")
    return RenderContext(
        claims={c.slug: claim_ref(c) for c in claims},
        terms={t.slug: term_ref(t.slug, t.term, t.alias_list) for t in terms},
    )


@dataclass
class RenderedArticle:
    """An article's rendered parts, ready to store."""

    claim_slugs: list
    term_slugs: list

    def record_references(self, article):
        """Store which claims, terms and sources the saved article rests on."""
        claims = list(Claim.objects.filter(slug__in=self.claim_slugs))
        article.claims.set(claims)
        article.terms.set(Term.objects.filter(slug__in=self.term_slugs))
        article.sources.set({c.source_id for c in _citations_of(claims)})


def _citations_of(claims):
    from carnk_site.evidence.models import Citation

    return Citation.objects.filter(claim__in=claims).only("source_id")


def render_article(article, context=None):
    """Render an article's key points and body into its HTML fields; raise on unknown references."""
    context = context or context_from_database(article.body, article.key_points)
    points = render("\n".join(f"- {p}" for p in article.key_point_list), context, link_terms=False)
    body = render(article.body, context)
    article.key_points_html = points.html if article.key_point_list else ""
    article.body_html = body.html
    body_words = len(TAG.sub(" ", body.html).split())
    if body_words > ON_THIS_PAGE_MIN_WORDS and len(body.headings) > 1:
        article.body_html = on_this_page(body.headings) + body.html
    words = body_words + len(TAG.sub(" ", points.html).split())
    article.reading_minutes = max(1, math.ceil(words / WORDS_PER_MINUTE))
    return RenderedArticle(
        claim_slugs=list(dict.fromkeys(points.claim_slugs + body.claim_slugs)),
        term_slugs=body.term_slugs,
    )
