"""Lists split into pages of a fixed size, so no page grows with the library; plain links, no JavaScript."""

from django.core.paginator import Paginator

PAGE_PARAMETER = "page"


def page_of(request, items, per_page, count=None):
    """Return the requested page of `items` (the first for a missing or unreadable ?page=, the last past the end).

    `count` spares the count query when the caller already knows it.
    """
    paginator = Paginator(items, per_page)
    if count is not None:
        paginator.count = count  # a cached_property: setting it skips the COUNT query
    return paginator.get_page(request.GET.get(PAGE_PARAMETER))
