"""The content versions a cached page is checked against: the whole site's, and one per thing it depends on.

Every cached page is stored with the versions it was rendered at: the site-wide one (bumped for
everything at once, e.g. by a background refresh) and one for each name it depends on
(`caching.dependencies`), bumped only when a save changes that thing. The publishing pipeline
bumps them after each change commits: bumping earlier would let a concurrent request cache the
old page under the new number.

Each version has two parts. Redis holds one every worker sees at once; the database holds another
(`ContentVersion` for the site, `PageDependency` for each name), which each worker re-reads at
most every CONTENT_VERSION_CHECK_SECONDS. If Redis hangs or fails during a bump, the database part
still moved: once Redis answers again, no reader gets a page older than the last committed save
for longer than that interval.

Each worker also remembers the Redis parts it read for PAGE_CACHE_VERSION_SECONDS (1 s; 0 reads
them on every request), so a page served from the cache usually costs one Redis GET: another
worker's bump reaches this one within that time, and this worker's own bumps at once.
"""

import hashlib
import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models import F

logger = logging.getLogger(__name__)

KEY = "content-version"
DEPENDENCY_PREFIX = "page-dependency:"
CHECK_SECONDS = 30
_seen = {"value": None, "at": float("-inf"), "dependencies": {}}
_lock = threading.Lock()
_remembered = {}  # cache key -> (value from Redis, monotonic time read)


def dependency_key(name):
    """Return the cache key of one dependency's version (hashed: names hold editors' ids)."""
    return DEPENDENCY_PREFIX + hashlib.md5(name.encode(), usedforsecurity=False).hexdigest()


def remembered(keys):
    """Return ({key: value} still fresh in this worker, [keys to read from Redis again])."""
    interval = getattr(settings, "PAGE_CACHE_VERSION_SECONDS", 0)
    if interval <= 0:
        return {}, list(keys)
    now, fresh, stale = _now(), {}, []
    for key in keys:
        seen = _remembered.get(key)
        if seen is not None and now - seen[1] < interval:
            fresh[key] = seen[0]
        else:
            stale.append(key)
    return fresh, stale


def remember(values, keys):
    """Keep what Redis answered for `keys` (None for a key it does not hold) for PAGE_CACHE_VERSION_SECONDS."""
    if getattr(settings, "PAGE_CACHE_VERSION_SECONDS", 0) <= 0:
        return
    now = _now()
    for key in keys:
        _remembered[key] = (values.get(key), now)


def forget(keys):
    for key in keys:
        _remembered.pop(key, None)


def initial():
    """Start the version from the clock, so a lost key never brings back an old number."""
    try:
        cache.add(KEY, time.time_ns(), timeout=None)
        return cache.get(KEY)
    except Exception as exc:  # a cache outage must not break pages
        logger.warning("Page cache unavailable, reading the content version failed: %s", exc)
        return None


def bump(names=None):
    """Mark stale the cached pages depending on any of `names`, or every page when no names are given.

    The database first (it cannot be lost), then Redis. A dependency's Redis version is set from
    the clock (and past its current value), so it never comes back to a number a stored page
    holds, even after Redis lost it.
    """
    if names is None:
        forget([KEY])
        _bump_database()
        try:
            cache.incr(KEY)
            forget([KEY])
        except ValueError:
            initial()
        except Exception as exc:
            logger.warning("Page cache unavailable; pages refresh from the database version instead: %s", exc)
        return
    names = sorted(set(names))
    if not names:
        return
    _bump_dependencies(names)
    keys = [dependency_key(name) for name in names]
    forget(keys)
    try:
        # Read first: the new value passes the old even if this server's clock is behind another's.
        current = cache.get_many(keys)
        cache.set_many({key: max(time.time_ns(), current.get(key, 0) + 1) for key in keys}, timeout=None)
        forget(keys)  # a request between the read and the write may have remembered the old value
    except Exception as exc:
        logger.warning("Page cache unavailable; pages refresh from the database versions instead: %s", exc)


def stamp(found, names):
    """Return what a page depending on `names` is stored and checked under, from the cache's values `found`."""
    site, dependencies = database_versions()
    return (
        found.get(KEY),
        site,
        tuple((found.get(dependency_key(name)), dependencies.get(name)) for name in names),
    )


def database_version():
    """Return the site-wide database part, re-read when this worker last read it over CHECK_SECONDS ago."""
    return database_versions()[0]


def database_versions():
    """Return (site-wide version, {dependency: version}) from the database, re-read at most every CHECK_SECONDS."""
    interval = getattr(settings, "CONTENT_VERSION_CHECK_SECONDS", CHECK_SECONDS)
    if _now() - _seen["at"] >= interval:
        with _lock:
            _remember(*_read_database())
    return _seen["value"], _seen["dependencies"]


def changed_fingerprints(fingerprints):
    """Store each name's fingerprint (a hash of what a list shows); return the names whose fingerprint changed."""
    from carnk_site.caching.models import PageDependency

    stored = dict(PageDependency.objects.filter(name__in=fingerprints).values_list("name", "fingerprint"))
    changed = {name for name, value in fingerprints.items() if stored.get(name) != value}
    for name in changed:
        if not PageDependency.objects.filter(name=name).update(fingerprint=fingerprints[name]):
            PageDependency.objects.bulk_create(
                [PageDependency(name=name, fingerprint=fingerprints[name])], ignore_conflicts=True
            )
    return changed


def _now():
    return time.monotonic()


def _read_database():
    from carnk_site.caching.models import ContentVersion, PageDependency

    try:
        site = ContentVersion.objects.filter(pk=1).values_list("value", flat=True).first() or 0
        # Every row, a few thousand at most: simpler than tracking which changed, and read twice a minute.
        return site, dict(PageDependency.objects.values_list("name", "version"))
    except DatabaseError as exc:
        logger.warning("Content version unreadable: %s", exc)
        return _seen["value"], _seen["dependencies"]


def _remember(value, dependencies):
    # A new dict, never an update: a caller may hold the old one.
    _seen["value"], _seen["dependencies"], _seen["at"] = value, dependencies, _now()


def _bump_database():
    from carnk_site.caching.models import ContentVersion

    try:
        with transaction.atomic():
            if not ContentVersion.objects.filter(pk=1).update(value=F("value") + 1):
                ContentVersion.objects.create(pk=1, value=1)
        _remember(*_read_database())
    except DatabaseError as exc:
        logger.error("Content version not bumped in the database: %s", exc)


def _bump_dependencies(names):
    from carnk_site.caching.models import PageDependency

    try:
        with transaction.atomic():
            PageDependency.objects.filter(name__in=names).update(version=F("version") + 1)
            PageDependency.objects.bulk_create(
                [PageDependency(name=name, version=1) for name in names], ignore_conflicts=True
            )
            bumped = dict(PageDependency.objects.filter(name__in=names).values_list("name", "version"))
        # This worker sees its own bumps at once; the rest it reads with everyone else's, on schedule.
        _seen["dependencies"] = {**_seen["dependencies"], **bumped}
    except DatabaseError as exc:
        logger.error("Page dependencies not bumped in the database: %s", exc)
