"""A small per-worker store of pages, so the most-read pages cost no Redis round trip at all.

Each entry is kept under the page's key together with the versions it was rendered at; a lookup
with other versions misses, so this store is exactly as fresh as the versions the worker holds
(re-read from Redis every PAGE_CACHE_VERSION_SECONDS). Bounded by PAGE_CACHE_LOCAL_BYTES of page
content per worker; the least recently used pages leave first. 0 turns it off.
"""

import threading
from collections import OrderedDict

from django.conf import settings

_pages = OrderedDict()  # page key -> (versions, entry, size)
_size = {"bytes": 0}
_lock = threading.Lock()


def limit():
    return getattr(settings, "PAGE_CACHE_LOCAL_BYTES", 0)


def get(key, versions):
    """Return the stored entry for the page when it was rendered at `versions`, else None."""
    if limit() <= 0:
        return None
    with _lock:
        found = _pages.get(key)
        if found is None or found[0] != versions:
            return None
        _pages.move_to_end(key)
        return found[1]


def put(key, versions, entry, size):
    """Keep an entry, dropping the least recently used pages while over the limit."""
    bound = limit()
    if bound <= 0 or size > bound // 4:  # a few huge pages must not push out every other
        return
    with _lock:
        old = _pages.pop(key, None)
        if old is not None:
            _size["bytes"] -= old[2]
        _pages[key] = (versions, entry, size)
        _size["bytes"] += size
        while _size["bytes"] > bound and _pages:
            _size["bytes"] -= _pages.popitem(last=False)[1][2]


def clear():
    with _lock:
        _pages.clear()
        _size["bytes"] = 0
