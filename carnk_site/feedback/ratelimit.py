"""A small fixed-window limit on how often one address may send feedback, kept in the shared cache.

The address is used only as part of a cache key that expires with its window; it is never stored
with the feedback.
"""

import logging

from django.core.cache import cache

from carnk_site.reliability.clientip import client_ip

logger = logging.getLogger(__name__)

LIMIT = 5
WINDOW_SECONDS = 600


def allow(request, scope="feedback"):
    """Count this request against its address; return False once the address has used up the window."""
    key = f"ratelimit:{scope}:{client_ip(request)}"
    try:
        cache.add(key, 0, WINDOW_SECONDS)
        return cache.incr(key) <= LIMIT
    except ValueError:  # the key expired between add and incr: this is the first request of a new window
        cache.set(key, 1, WINDOW_SECONDS)
        return True
    except Exception as exc:  # a cache outage must not turn readers away
        logger.warning("Rate limit unavailable, feedback allowed: %s", exc)
        return True
