"""Put a synthetic library straight into the database with bulk inserts, rendered as on save.

For tests that need volume rather than the loader: far quicker than `loadcontent`, and the
stored HTML, reading times and article links are what saving each record would produce.
"""

from django.db import transaction

from carnk_site.articles.models import Article
from carnk_site.articles.publishing import citation_url, render_article, term_ref
from carnk_site.articles.rendering import CitationRef, ClaimRef, RenderContext, render
from carnk_site.evidence.models import Citation, Claim, Source
from carnk_site.glossary.models import Term
from carnk_site.search import index


def insert_library(library):
    """Insert every record of the library; return how many articles were written."""
    with transaction.atomic():
        Source.objects.bulk_create(Source(slug=r.slug, text=r.body, **_fields(r.data, "id")) for r in library.sources)
        sources = dict(Source.objects.values_list("slug", "pk"))
        context = _render_context(library, {r.slug: r.data for r in library.sources})
        Term.objects.bulk_create(
            Term(
                slug=r.slug,
                term=r.data["term"],
                aliases="\n".join(r.data["aliases"]),
                definition=r.data["definition"],
                explanation=r.body,
                explanation_html=render(r.body, context).html if r.body.strip() else "",
            )
            for r in library.terms
        )
        Claim.objects.bulk_create(Claim(slug=r.slug, **_fields(r.data, "id", "citations")) for r in library.claims)
        claims = dict(Claim.objects.values_list("slug", "pk"))
        Citation.objects.bulk_create(
            Citation(claim_id=claims[r.slug], source_id=sources[c["source"]], quote=c["quote"], position=position)
            for r in library.claims
            for position, c in enumerate(r.data["citations"], start=1)
        )
        rendered = []
        for r in library.articles:
            article = Article(
                slug=r.slug,
                body=r.body,
                key_points="\n".join(r.data["key_points"]),
                **_fields(r.data, "id", "key_points"),
            )
            rendered.append((article, render_article(article, context)))
        Article.objects.bulk_create(article for article, _ in rendered)
        _link(library, rendered, claims, sources)
        index.refresh()  # bulk inserts send no signals: index everything once, as a commit would
    return len(rendered)


def _fields(data, *leave_out):
    return {key: value for key, value in data.items() if key not in leave_out}


def _render_context(library, source_data):
    claims = {}
    for r in library.claims:
        cites = tuple(
            CitationRef(
                source_data[c["source"]]["short_name"],
                source_data[c["source"]]["commercial"],
                citation_url(c["source"], r.slug, position),
            )
            for position, c in enumerate(r.data["citations"], start=1)
        )
        claims[r.slug] = ClaimRef(r.slug, r.data["evidence"], r.data.get("participants"), cites)
    terms = {r.slug: term_ref(r.slug, r.data["term"], r.data["aliases"]) for r in library.terms}
    return RenderContext(claims=claims, terms=terms)


def _link(library, rendered, claims, sources):
    """Record which claims, terms and sources each article rests on, as Article.save() would."""
    articles = dict(Article.objects.values_list("slug", "pk"))
    terms = dict(Term.objects.values_list("slug", "pk"))
    cited = {r.slug: {sources[c["source"]] for c in r.data["citations"]} for r in library.claims}
    claim_links, term_links, source_links = [], [], []
    for article, refs in rendered:
        pk = articles[article.slug]
        claim_links += [Article.claims.through(article_id=pk, claim_id=claims[s]) for s in refs.claim_slugs]
        term_links += [Article.terms.through(article_id=pk, term_id=terms[s]) for s in refs.term_slugs]
        used = set().union(*(cited[s] for s in refs.claim_slugs))
        source_links += [Article.sources.through(article_id=pk, source_id=s) for s in used]
    for relation, links in (
        (Article.claims, claim_links),
        (Article.terms, term_links),
        (Article.sources, source_links),
    ):
        relation.through.objects.bulk_create(links, batch_size=2000)
