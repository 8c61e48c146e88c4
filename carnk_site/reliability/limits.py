"""Bound heavy editor work (previews) across every worker, so editors cannot starve readers.

A preview renders a whole page inside a transaction it then rolls back: it costs many times a
reader's request. A counter in the shared cache (Redis in production) lets at most
PREVIEW_CONCURRENCY run at once site-wide; one more gets a friendly 429 at once instead of
queueing behind them. The counter expires on its own, so a worker killed mid-preview cannot
block previews for more than SLOT_SECONDS.
"""

import logging
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

KEY = "limits:previews"
SLOT_SECONDS = 60


@contextmanager
def preview_slot():
    """Yield True when a preview may run now, False when PREVIEW_CONCURRENCY are already running."""
    try:
        cache.add(KEY, 0, SLOT_SECONDS)
        running = cache.incr(KEY)
    except ValueError:  # the counter expired between add and incr
        cache.set(KEY, 1, SLOT_SECONDS)
        running = 1
    except Exception as exc:  # a cache outage must not stop editors
        logger.warning("Preview limit unavailable, preview not limited: %s", exc)
        yield True
        return
    try:
        yield running <= settings.PREVIEW_CONCURRENCY
    finally:
        try:
            cache.decr(KEY)
        except Exception:  # expired meanwhile, or the cache went away: nothing to give back
            pass
