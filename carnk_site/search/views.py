"""The search results page: a plain GET form, so it works without JavaScript, in the address's language."""

from django.shortcuts import render
from django.utils.translation import get_language

from carnk_site.caching.middleware import public_page
from carnk_site.search.search import search as run_search

AS_TYPED = "as_typed"  # ?as_typed=1: search the words as typed, correcting no typo


@public_page(vary_on=("q", AS_TYPED))
def search(request):
    results = run_search(request.GET.get("q", ""), as_typed=request.GET.get(AS_TYPED) == "1", language=get_language())
    return render(request, "search/results.html", {"results": results, "query": results.query})
