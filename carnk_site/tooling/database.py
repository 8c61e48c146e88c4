"""Put a synthetic library straight into the database with bulk inserts, rendered by the pipeline.

For tests that need volume rather than the loader: far quicker than `loadcontent`. The records go
in with bulk inserts (no signals), then the publishing pipeline's own functions render them with
one context and record the article links, so what is stored is what saving each record produces.
"""

from django.db import transaction

from carnk_site.articles.models import Article
from carnk_site.evidence.models import Citation, Claim, Source
from carnk_site.glossary.models import Term
from carnk_site.publishing.contexts import context_from_database
from carnk_site.publishing.records import link_references, render_article, render_explanation
from carnk_site.search import index


def insert_library(library):
    """Insert every record of the library; return how many articles were written."""
    with transaction.atomic():
        Source.objects.bulk_create(Source(slug=r.slug, text=r.body, **_fields(r.data, "id")) for r in library.sources)
        sources = dict(Source.objects.values_list("slug", "pk"))
        Term.objects.bulk_create(
            Term(
                slug=r.slug,
                term=r.data["term"],
                aliases="\n".join(r.data["aliases"]),
                definition=r.data["definition"],
                explanation=r.body,
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
        articles = [
            Article(
                slug=r.slug,
                body=r.body,
                key_points="\n".join(r.data["key_points"]),
                **_fields(r.data, "id", "key_points"),
            )
            for r in library.articles
        ]
        terms = list(Term.objects.all())
        context = context_from_database(
            *(a.body for a in articles), *(a.key_points for a in articles), *(t.explanation for t in terms)
        )
        for term in terms:
            render_explanation(term, context)
        Term.objects.bulk_update(terms, ["explanation_html"], batch_size=500)
        rendered = [(article, render_article(article, context)) for article in articles]
        Article.objects.bulk_create(articles)
        ids = dict(Article.objects.values_list("slug", "pk"))
        for article in articles:
            article.pk = ids[article.slug]
        link_references(rendered)
        index.refresh()  # bulk inserts send no signals: index everything once, as a commit would
    return len(rendered)


def _fields(data, *leave_out):
    return {key: value for key, value in data.items() if key not in leave_out}
