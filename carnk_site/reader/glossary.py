"""The A–Z glossary, one page per term, and the small JSON a glossary pop-up shows."""

from itertools import groupby

from django.conf import settings
from django.db.models import Prefetch
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language

from carnk_site.articles.models import Article
from carnk_site.caching import dependencies
from carnk_site.caching.middleware import public_page
from carnk_site.glossary.models import Term, initial_of
from carnk_site.reader.glossary_entries import glossary_entries
from carnk_site.reader.paging import page_of
from carnk_site.translations.published import published_languages, with_published_languages
from carnk_site.translations.reading import TERM_FIELDS, attach_translated_terms, shown_in_reader_language

# Terms per page of the A–Z index: the shipped glossary fits on one page, a large one is split.
TERMS_PER_PAGE = 200


def _with_published_articles(terms):
    articles = Article.objects.published().only("slug", "title")
    return terms.prefetch_related(Prefetch("articles", queryset=articles, to_attr="published_articles"))


@public_page(vary_on=("page",), depends_on=(dependencies.TERMS,))
def glossary_index(request):
    """Show a page of the A–Z glossary, with every letter linked to the page it starts on: two queries."""
    public = Term.objects.public().order_by("term", "pk")
    names = list(public.values_list("term", flat=True))
    starts = {}  # letter -> the page its first term is on
    for position, name in enumerate(names):
        starts.setdefault(initial_of(name), position // TERMS_PER_PAGE + 1)
    page = page_of(request, public.only("slug", "term", "aliases", "definition"), TERMS_PER_PAGE, count=len(names))
    terms = attach_translated_terms(page.object_list)
    mark_english = get_language() != settings.LANGUAGE_CODE
    letters = [
        (letter, glossary_entries(group, mark_english)) for letter, group in groupby(terms, key=lambda t: t.initial)
    ]
    context = {"letters": letters, "starts": starts.items(), "page": page, "term_count": len(names)}
    return render(request, "glossary/index.html", context)


@public_page(depends_on=lambda slug: (dependencies.term(slug), dependencies.ARTICLE_LINKS, dependencies.TITLES))
def term_detail(request, slug):
    term = get_object_or_404(_with_published_articles(with_published_languages(Term.objects.public())), slug=slug)
    shown_language = shown_in_reader_language(term, TERM_FIELDS)
    context = {"term": term, "shown_language": shown_language, "translated_into": published_languages(term)}
    return render(request, "glossary/term_detail.html", context)


@public_page(depends_on=lambda slug: (dependencies.term(slug),))
def term_json(request, slug):
    """Return one term's definition for the pop-up on its first mention: one query."""
    term = get_object_or_404(Term.objects.public().only("slug", "term", "definition"), slug=slug)
    shown_in_reader_language(term, TERM_FIELDS)
    data = {"id": term.slug, "term": term.term, "definition": term.definition, "url": term.get_absolute_url()}
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
