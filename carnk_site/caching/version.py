"""The site-wide content version: one number that changes whenever published content may have.

Every cached page is stored with the version it was rendered at, so bumping the number makes
all of them stale at once, in every worker that shares the cache (Redis). The publishing
pipeline bumps it after each change commits: bumping earlier would let a concurrent request
cache the old page under the new number.
"""

import logging
import time

from django.core.cache import cache

logger = logging.getLogger(__name__)

KEY = "content-version"


def initial():
    """Start the version from the clock, so a lost key never brings back an old number."""
    try:
        cache.add(KEY, time.time_ns(), timeout=None)
        return cache.get(KEY)
    except Exception as exc:  # a cache outage must not break pages
        logger.warning("Page cache unavailable, reading the content version failed: %s", exc)
        return None


def bump():
    """Mark every cached page as stale."""
    try:
        cache.incr(KEY)
    except ValueError:
        initial()
    except Exception as exc:
        logger.warning("Page cache unavailable, cached pages may stay stale until they expire: %s", exc)
