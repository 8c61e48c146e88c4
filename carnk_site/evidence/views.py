"""Source pages, the evidence-levels page, the open /claims.json and one claim's pop-up JSON."""

from django.db.models import Prefetch
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render

from carnk_site.articles.models import Article
from carnk_site.caching.middleware import public_page

from .levels import EXPLANATIONS, EvidenceLevel
from .models import Citation, Claim, Source

LEVELS_ARTICLE = "reading-the-evidence-labels"


@public_page
def evidence_levels(request):
    article = Article.objects.published().filter(slug=LEVELS_ARTICLE).first()
    levels = [(level, level.label, EXPLANATIONS[level]) for level in EvidenceLevel]
    return render(request, "evidence/levels.html", {"levels": levels, "article": article})


@public_page
def source_list(request):
    return render(request, "evidence/source_list.html", {"sources": Source.objects.public().defer("text")})


@public_page
def source_detail(request, slug):
    source = get_object_or_404(Source.objects.public(), slug=slug)
    citations = (
        Citation.objects.filter(source=source, claim__in=Claim.objects.public())
        .select_related("claim")
        .order_by("claim__slug", "position")
    )
    return render(request, "evidence/source_detail.html", {"source": source, "citations": citations})


@public_page
def claims_json(request):
    """Every published claim with its evidence, citations and articles, for anyone to audit: three queries."""
    sources = Source.objects.public().only("slug", "title", "short_name", "kind", "commercial")
    data = {
        "sources": [
            {
                "id": s.slug,
                "title": s.display_title,
                "short_name": s.short_name,
                "kind": s.kind,
                "commercial": s.commercial,
                "url": request.build_absolute_uri(s.get_absolute_url()),
            }
            for s in sources
        ],
        "claims": published_claims(),
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})


def published_claims():
    """Return every published claim as open data, read from the article links and the citations."""
    links = Article.claims.through.objects.filter(article__status=Article.Status.PUBLISHED)
    rows = links.order_by("claim__slug", "article__order", "article__title").values_list(
        "claim_id", "claim__slug", "claim__statement", "claim__evidence", "claim__participants", "article__slug"
    )
    claims = {}
    for pk, slug, statement, evidence, participants, article in rows:
        if pk not in claims:
            claims[pk] = {
                "id": slug,
                "statement": statement,
                "evidence": {"level": evidence, "label": EvidenceLevel(evidence).label},
                "participants": participants,
                "citations": [],
                "articles": [],
            }
        claims[pk]["articles"].append(article)
    citations = Citation.objects.filter(claim_id__in=links.values("claim_id")).order_by("claim_id", "position", "pk")
    for pk, source, quote in citations.values_list("claim_id", "source__slug", "quote"):
        claims[pk]["citations"].append({"source": source, "quote": quote})
    return list(claims.values())


@public_page
def claim_json(request, slug):
    """Return one published claim's label and citations for its pop-up: two queries."""
    citations = Citation.objects.select_related("source").only(
        "claim_id",
        "position",
        "quote",
        "source__slug",
        "source__title",
        "source__short_name",
        "source__kind",
        "source__commercial",
    )
    claim = get_object_or_404(
        Claim.objects.public().prefetch_related(Prefetch("citations", queryset=citations)), slug=slug
    )
    data = {
        "id": claim.slug,
        "label": claim.label,
        "participants": claim.participants,
        "citations": [
            {
                "anchor": f"cite-{claim.slug}-{c.position}",
                "url": f"{c.source.get_absolute_url()}#cite-{claim.slug}-{c.position}",
                "quote": c.quote,
                "source": {
                    "name": c.source.short_name,
                    "title": c.source.display_title,
                    "kind": c.source.kind,
                    "commercial": c.source.commercial,
                    "url": c.source.get_absolute_url(),
                },
            }
            for c in claim.citations.all()
        ],
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
