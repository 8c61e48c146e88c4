"""The site-wide content version: what changes whenever published content may have.

Every cached page is stored with the version it was rendered at, so changing the version makes
all of them stale at once, in every worker that shares the cache (Redis). The publishing
pipeline bumps it after each change commits: bumping earlier would let a concurrent request
cache the old page under the new number.

The version has two parts. Redis holds a counter every worker sees at once; the database holds
another (`ContentVersion`), which each worker re-reads at most every CONTENT_VERSION_CHECK_SECONDS.
If Redis hangs or fails during a bump, the database part still moved: once Redis answers again,
no reader gets a page older than the last committed save for longer than that interval.
"""

import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models import F

logger = logging.getLogger(__name__)

KEY = "content-version"
CHECK_SECONDS = 30
_seen = {"value": None, "at": float("-inf")}
_lock = threading.Lock()


def initial():
    """Start the version from the clock, so a lost key never brings back an old number."""
    try:
        cache.add(KEY, time.time_ns(), timeout=None)
        return cache.get(KEY)
    except Exception as exc:  # a cache outage must not break pages
        logger.warning("Page cache unavailable, reading the content version failed: %s", exc)
        return None


def bump():
    """Mark every cached page as stale: in the database first (it cannot be lost), then in Redis."""
    _bump_database()
    try:
        cache.incr(KEY)
    except ValueError:
        initial()
    except Exception as exc:
        logger.warning("Page cache unavailable; pages refresh from the database version instead: %s", exc)


def stamp(cache_version):
    """Return the version a page is stored and checked under: the cache's part and the database's."""
    return (cache_version, database_version())


def database_version():
    """Return the database part, re-read when this worker last read it over CHECK_SECONDS ago."""
    interval = getattr(settings, "CONTENT_VERSION_CHECK_SECONDS", CHECK_SECONDS)
    if _now() - _seen["at"] >= interval:
        with _lock:
            _remember(_read_database())
    return _seen["value"]


def _now():
    return time.monotonic()


def _read_database():
    from carnk_site.caching.models import ContentVersion

    try:
        return ContentVersion.objects.filter(pk=1).values_list("value", flat=True).first() or 0
    except DatabaseError as exc:
        logger.warning("Content version unreadable: %s", exc)
        return _seen["value"]


def _remember(value):
    _seen["value"], _seen["at"] = value, _now()


def _bump_database():
    from carnk_site.caching.models import ContentVersion

    try:
        with transaction.atomic():
            if not ContentVersion.objects.filter(pk=1).update(value=F("value") + 1):
                ContentVersion.objects.create(pk=1, value=1)
        _remember(_read_database())
    except DatabaseError as exc:
        logger.error("Content version not bumped in the database: %s", exc)
