"""The A–Z glossary, one page per term, and the small JSON a glossary pop-up shows."""

from itertools import groupby

from django.conf import settings
from django.db.models import Prefetch
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language

from carnk_site.articles.models import Article
from carnk_site.caching.middleware import public_page
from carnk_site.glossary.models import Term
from carnk_site.translations.reading import TERM_FIELDS, attach_translated_terms, shown_in_reader_language


def _with_published_articles(terms):
    articles = Article.objects.published().only("slug", "title")
    return terms.prefetch_related(Prefetch("articles", queryset=articles, to_attr="published_articles"))


@public_page
def glossary_index(request):
    terms = attach_translated_terms(
        Term.objects.public().order_by("term").only("slug", "term", "aliases", "definition")
    )
    letters = [(letter, list(group)) for letter, group in groupby(terms, key=lambda t: t.initial)]
    context = {"letters": letters, "term_count": len(terms), "mark_english": get_language() != settings.LANGUAGE_CODE}
    return render(request, "glossary/index.html", context)


@public_page
def term_detail(request, slug):
    term = get_object_or_404(_with_published_articles(Term.objects.public()), slug=slug)
    shown_language = shown_in_reader_language(term, TERM_FIELDS)
    return render(request, "glossary/term_detail.html", {"term": term, "shown_language": shown_language})


@public_page
def term_json(request, slug):
    """Return one term's definition for the pop-up on its first mention: one query."""
    term = get_object_or_404(Term.objects.public().only("slug", "term", "definition"), slug=slug)
    shown_in_reader_language(term, TERM_FIELDS)
    data = {"id": term.slug, "term": term.term, "definition": term.definition, "url": term.get_absolute_url()}
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
