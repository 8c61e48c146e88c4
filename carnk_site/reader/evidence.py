"""Source pages, the evidence-levels page, the open /claims.json (a page at a time) and one claim's pop-up JSON."""

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from carnk_site.articles.models import Article
from carnk_site.caching import dependencies
from carnk_site.caching.middleware import public_page
from carnk_site.evidence.models import CITATIONS_PER_PAGE, Citation, Claim, Source, citation_url
from carnk_site.reader.paging import page_of
from carnk_site.review.signoff import shown_approval
from carnk_site.text.levels import (
    EXPLANATIONS,
    LADDER,
    STATEMENT_EXPLANATIONS,
    STATEMENT_FULL_WORDS,
    STATEMENT_LABEL_WORDS,
    EvidenceLevel,
    StatementKind,
    Subject,
    Teller,
    evidence_label,
    legacy_level,
    people,
    rank,
    scale_text,
    tellers_in_order,
)
from carnk_site.text.quotes import FoldedText
from carnk_site.translations.reading import (
    attach_quote_translations,
    attach_translated_statements,
    translate_statements,
)

LEVELS_ARTICLE = "reading-the-evidence-labels"
SOURCES_PER_PAGE = 100
# Claims per page of /claims.json: the shipped library's fit on the first; a large one is split.
CLAIMS_PER_PAGE = 500


@public_page(depends_on=(dependencies.article(LEVELS_ARTICLE), dependencies.REVIEWERS))
def evidence_levels(request):
    article = (
        Article.objects.published().select_related("signoff__approval__reviewer").filter(slug=LEVELS_ARTICLE).first()
    )
    ladder = [(level, level.label, EXPLANATIONS[level], scale_text(level)) for level in LADDER]
    biology = EvidenceLevel.BASIC_BIOLOGY
    context = {
        "ladder": ladder,
        "biology": (biology, biology.label, EXPLANATIONS[biology], scale_text(biology)),
        "tellers": [(t, t.label) for t in Teller],
        "statement_kinds": [
            (kind, STATEMENT_LABEL_WORDS[kind], STATEMENT_FULL_WORDS[kind], STATEMENT_EXPLANATIONS[kind])
            for kind in STATEMENT_LABEL_WORDS
        ],
        "article": article,
        "approval": shown_approval(article) if article else None,
    }
    if article is not None:
        attach_quote_translations(article.evidence_profile, translation.get_language())
    return render(request, "evidence/levels.html", context)


@public_page(vary_on=("page",), depends_on=(dependencies.EVIDENCE, dependencies.ARTICLE_LINKS))
def source_list(request):
    page = page_of(request, Source.objects.public().defer("text"), SOURCES_PER_PAGE)
    return render(request, "evidence/source_list.html", {"sources": page.object_list, "page": page})


@public_page(vary_on=("page",), depends_on=lambda slug: (dependencies.source(slug), dependencies.ARTICLE_LINKS))
def source_detail(request, slug):
    """A source and the statements resting on it, CITATIONS_PER_PAGE at a time.

    A link from a statement (`evidence.models.citation_url`) names its claim: the view sends the
    reader to the page of the list holding it, and the browser keeps the #cite-… fragment.
    """
    source = get_object_or_404(Source.objects.public(), slug=slug)
    cited = Citation.objects.filter(source=source, claim__in=Claim.objects.public())
    if "claim" in request.GET:
        number = page_holding(cited, request.GET["claim"])
        return redirect(request.path + (f"?page={number}" if number > 1 else ""))
    all_citations = Citation.objects.select_related("source").only("claim_id", "position", "source__teller")
    citations = (
        cited.select_related("claim")
        .prefetch_related(Prefetch("claim__citations", queryset=all_citations))
        .order_by("claim__slug", "position")
    )
    page = page_of(request, citations, CITATIONS_PER_PAGE)
    attach_translated_statements(c.claim for c in page.object_list)
    for citation in page.object_list:  # our translation beside the verbatim quote, where there is one
        citation.translation = citation.claim.translated_quotes.get(citation.quote)
    context = {
        "source": source,
        "citations": page.object_list,
        "page": page,
        "mark_english": translation.get_language() != settings.LANGUAGE_CODE,
        "translated_into": (),  # a source is not translated: its page is English in every language
    }
    return render(request, "evidence/source_detail.html", context)


def page_holding(cited, claim_slug):
    """Return the number of the page of a source's statements that holds the claim (the first if none does)."""
    before = cited.filter(claim__slug__lt=claim_slug[:200]).count()
    return before // CITATIONS_PER_PAGE + 1


@public_page(
    vary_on=("page", "lang"), depends_on=(dependencies.EVIDENCE, dependencies.ARTICLE_LINKS, dependencies.TITLES)
)
def claims_json(request):
    """Published claims with their evidence, citations and articles, for anyone to audit: four queries a page.

    CLAIMS_PER_PAGE claims a page, in id order, with the sources they cite; `next` and `previous`
    link the neighbouring pages (null at the ends), so a small library is complete on the first.
    `?lang=zh-hans` (or `hi`) gives labels in that language and each statement's published
    translation, with the English statement beside it; quotes stay as the sources wrote them, each
    with our published translation beside it (`translation`) where there is one.
    """
    language = request.GET.get("lang", translation.get_language())
    if language not in dict(settings.LANGUAGES):
        choices = ", ".join(code for code, _name in settings.LANGUAGES)
        return HttpResponseBadRequest(f"lang: unknown language. Use one of: {choices}.", content_type="text/plain")
    with translation.override(language):
        return _claims_json(request, language)


def _claims_json(request, language):
    order = list(Claim.objects.public().order_by("slug").values_list("pk", flat=True))
    page = page_of(request, order, CLAIMS_PER_PAGE, count=len(order))
    claims = published_claims(page.object_list)
    cited = {citation["source"] for claim in claims.values() for citation in claim["citations"]}
    sources = Source.objects.filter(slug__in=cited).order_by("slug")
    sources = list(sources.only("slug", "title", "short_name", "kind", "commercial", "teller", "text"))
    data = {
        "sources": [
            {
                "id": s.slug,
                "title": s.display_title,
                "short_name": s.short_name,
                "kind": s.kind,
                "commercial": s.commercial,
                "teller": s.teller,
                "url": request.build_absolute_uri(s.get_absolute_url()),
            }
            for s in sources
        ],
        "claims": translate_statements(complete_claims(claims, {s.slug: s for s in sources}, keep_pk=True), language),
        "page": page.number,
        "pages": page.paginator.num_pages,
        "claims_in_all": page.paginator.count,
        "previous": _page_url(request, page.previous_page_number()) if page.has_previous() else None,
        "next": _page_url(request, page.next_page_number()) if page.has_next() else None,
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})


def _page_url(request, number):
    return request.build_absolute_uri(f"{request.path}?page={number}")


def published_claims(claim_ids):
    """Return {pk: claim} for the given published claims as open data, read from the article links and citations.

    Each citation carries its source's id and quote; `complete_claims` adds what needs the source texts.
    """
    links = Article.claims.through.objects.filter(article__status=Article.Status.PUBLISHED, claim_id__in=claim_ids)
    rows = links.order_by("claim__slug", "article__order", "article__title").values_list(
        "claim_id",
        "claim__slug",
        "claim__statement",
        "claim__statement_kind",
        "claim__about",
        "claim__evidence",
        "claim__participants",
        "claim__participants_stated",
        "article__slug",
    )
    claims = {}
    for pk, slug, statement, statement_kind, about, evidence, participants, stated, article in rows:
        if pk not in claims:
            claims[pk] = {
                "id": slug,
                "statement": statement,
                "statement_kind": statement_kind,
                "about": about,
                "evidence": {
                    "level": legacy_level(evidence),
                    "kind": evidence,
                    "rank": rank(evidence, statement_kind),
                    "graded": statement_kind == StatementKind.FINDING,
                },
                "participants": participants,
                "participants_stated": stated,
                "citations": [],
                "articles": [],
            }
        claims[pk]["articles"].append(article)
    citations = Citation.objects.filter(claim_id__in=list(claims)).order_by("claim_id", "position", "pk")
    for pk, source, quote in citations.values_list("claim_id", "source__slug", "quote"):
        claims[pk]["citations"].append({"source": source, "quote": quote})
    return claims


def complete_claims(claims, sources, keep_pk=False):
    """Add each citation's W3C TextQuoteSelector and each claim's tellers and label; return the claims in order.

    `sources` maps each cited source's slug to the source, with its text, folded once, not once per quote;
    `keep_pk` leaves each claim's primary key in it, for `translate_statements`, which takes it out again.
    """
    folded = {}
    for pk, claim in claims.items():
        for citation in claim["citations"]:
            source = citation["source"]
            if source not in folded:
                folded[source] = FoldedText(sources[source].text)
            citation["selector"] = folded[source].selector(citation["quote"])
        tellers = tellers_in_order(sources[c["source"]].teller for c in claim["citations"])
        evidence = claim["evidence"]
        evidence["told_by"] = list(tellers)
        evidence["label"] = evidence_label(
            evidence["kind"],
            claim["participants"],
            tellers,
            statement_kind=claim["statement_kind"],
            participants_stated=claim["participants_stated"],
        )
        if keep_pk:  # for translate_statements, which takes it out again
            claim["pk"] = pk
    return list(claims.values())


@public_page(depends_on=lambda slug: (dependencies.claim(slug), dependencies.ARTICLE_LINKS))
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
        "source__teller",
    )
    claim = get_object_or_404(
        Claim.objects.public().prefetch_related(Prefetch("citations", queryset=citations)), slug=slug
    )
    citations = [
        {
            "anchor": f"cite-{claim.slug}-{c.position}",
            "url": citation_url(c.source.slug, claim.slug, c.position),
            "quote": c.quote,
            "source": {
                "name": c.source.short_name,
                "title": c.source.display_title,
                "kind": c.source.kind,
                "commercial": c.source.commercial,
                "teller": c.source.teller,
                "teller_label": Teller(c.source.teller).label,
                "url": c.source.get_absolute_url(),
            },
        }
        for c in claim.citations.all()
    ]
    shown = {"pk": claim.pk, "statement": claim.statement, "citations": citations}
    data = {
        "id": claim.slug,
        **translate_statements([shown], translation.get_language())[0],
        "label": claim.label,
        "label_in_full": evidence_label(
            claim.evidence,
            claim.participants,
            claim.tellers,
            short=False,
            statement_kind=claim.statement_kind,
            participants_stated=claim.participants_stated,
        ),
        "statement_kind": claim.statement_kind,
        "about": claim.about,
        "about_label": Subject(claim.about).label,
        "kind": claim.evidence,
        "kind_label": (
            EvidenceLevel(claim.evidence).label
            if claim.statement_kind == StatementKind.FINDING
            else STATEMENT_FULL_WORDS[StatementKind(claim.statement_kind)]
        ),
        "rank": rank(claim.evidence, claim.statement_kind),
        "scale": scale_text(claim.evidence, claim.statement_kind),
        "told_by": list(claim.tellers),
        "participants": claim.participants,
        "participants_stated": claim.participants_stated,
        "people_text": (
            _("%(people)s took part, as the source says.")
            % {"people": people(claim.participants, claim.participants_stated).capitalize()}
            if claim.participants
            else _("The source does not say how many people took part.")
        ),
        "commercial_text": _("Commercial source: it sells treatment access or advice."),
        "our_translation_text": _("Our translation:"),
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
