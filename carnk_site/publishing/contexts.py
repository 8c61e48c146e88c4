"""Render contexts: what a piece of Markdown may refer to, built from the database once per operation."""

from django.urls import reverse

from carnk_site.evidence.models import Claim, citation_url
from carnk_site.glossary.models import Term
from carnk_site.text.claim_links import claim_slugs_in
from carnk_site.text.references import CitationRef, ClaimRef, TermRef
from carnk_site.text.rendering import RenderContext


def term_ref(slug, term, aliases):
    """Return the rendering view of a glossary term."""
    return TermRef(slug=slug, names=(term, *aliases), url=reverse("glossary:term", args=[slug]))


def claim_ref(claim):
    """Return the rendering view of a saved claim (citations and sources prefetched)."""
    return ClaimRef(
        slug=claim.slug,
        level=claim.evidence,
        participants=claim.participants,
        participants_stated=claim.participants_stated,
        citations=tuple(
            CitationRef(
                c.source.short_name,
                c.source.commercial,
                citation_url(c.source.slug, claim.slug, c.position),
                c.source.teller,
                c.quote,
            )
            for c in claim.citations.all()
        ),
        statement_kind=claim.statement_kind,
        about=claim.about,
    )


def context_from_database(*texts):
    """Build a render context with every glossary term and the claims the texts refer to."""
    claims = Claim.objects.filter(slug__in=claim_slugs_in(*texts)).prefetch_related("citations__source")
    terms = Term.objects.only("slug", "term", "aliases")
    return RenderContext(
        claims={c.slug: claim_ref(c) for c in claims},
        terms={t.slug: term_ref(t.slug, t.term, _aliases(t.aliases)) for t in terms},
    )


def _aliases(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
