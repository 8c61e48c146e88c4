"""The search results page: a plain GET form, so it works without JavaScript."""

from django.shortcuts import render

from carnk_site.caching.middleware import public_page
from carnk_site.search.search import search as run_search


@public_page(vary_on=("q",))
def search(request):
    results = run_search(request.GET.get("q", ""))
    return render(request, "search/results.html", {"results": results, "query": results.query})
