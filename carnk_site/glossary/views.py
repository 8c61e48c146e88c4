"""The A–Z glossary and one page per term."""
from itertools import groupby

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from carnk_site.articles.models import Article

from .models import Term


def _with_published_articles(terms):
    articles = Article.objects.published().only("slug", "title")
    return terms.prefetch_related(Prefetch("articles", queryset=articles, to_attr="published_articles"))


def glossary_index(request):
    terms = list(_with_published_articles(Term.objects.order_by("term")))
    letters = [(letter, list(group)) for letter, group in groupby(terms, key=lambda t: t.initial)]
    return render(request, "glossary/index.html", {"letters": letters, "term_count": len(terms)})


def term_detail(request, slug):
    term = get_object_or_404(_with_published_articles(Term.objects.all()), slug=slug)
    return render(request, "glossary/term_detail.html", {"term": term})
