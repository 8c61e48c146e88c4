"""Source pages, the evidence-levels page and the open /claims.json."""
from django.db.models import Prefetch
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render

from carnk_site.articles.models import Article

from .levels import EXPLANATIONS, EvidenceLevel
from .models import Citation, Claim, Source

LEVELS_ARTICLE = "reading-the-evidence-labels"


def evidence_levels(request):
    article = Article.objects.published().filter(slug=LEVELS_ARTICLE).first()
    levels = [(level, level.label, EXPLANATIONS[level]) for level in EvidenceLevel]
    return render(request, "evidence/levels.html", {"levels": levels, "article": article})


def source_list(request):
    return render(request, "evidence/source_list.html", {"sources": Source.objects.defer("text")})


def source_detail(request, slug):
    source = get_object_or_404(Source, slug=slug)
    citations = (
        Citation.objects.filter(source=source, claim__in=Claim.objects.published())
        .select_related("claim")
        .order_by("claim__slug", "position")
    )
    return render(request, "evidence/source_detail.html", {"source": source, "citations": citations})


def claims_json(request):
    """Every published claim with its evidence, citations and articles, for anyone to audit."""
    sources = Source.objects.only("slug", "title", "short_name", "kind", "commercial")
    claims = Claim.objects.published().prefetch_related(
        Prefetch("citations", queryset=Citation.objects.select_related("source").only("claim_id", "position", "quote", "source__slug")),
        Prefetch("articles", queryset=Article.objects.published().only("slug"), to_attr="published_articles"),
    )
    data = {
        "sources": [
            {"id": s.slug, "title": s.display_title, "short_name": s.short_name, "kind": s.kind,
             "commercial": s.commercial, "url": request.build_absolute_uri(s.get_absolute_url())}
            for s in sources
        ],
        "claims": [
            {
                "id": c.slug,
                "statement": c.statement,
                "evidence": {"level": c.evidence, "label": EvidenceLevel(c.evidence).label},
                "participants": c.participants,
                "citations": [{"source": cit.source.slug, "quote": cit.quote} for cit in c.citations.all()],
                "articles": [a.slug for a in c.published_articles],
            }
            for c in claims
        ],
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
