"""Bound heavy editor work (previews) across every worker, so editors cannot starve readers.

A preview renders a whole page inside a transaction it then rolls back: it costs many times a
reader's request. A counter in the shared cache (Redis in production) lets at most
PREVIEW_CONCURRENCY run at once site-wide; one more gets a friendly 429 at once instead of
queueing behind them. The live preview beside the editor's text is cheaper but asked for while
editors type: at most one per editor and LIVE_PREVIEW_CONCURRENCY site-wide. Each counter expires
on its own, so a worker killed mid-preview cannot block previews for more than SLOT_SECONDS.
"""

import logging
from contextlib import ExitStack, contextmanager

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

KEY = "limits:previews"
LIVE_KEY = "limits:live-previews"
SLOT_SECONDS = 60


@contextmanager
def _slot(key, most):
    """Yield True when fewer than `most` holders of this counter are running, counting this one."""
    try:
        cache.add(key, 0, SLOT_SECONDS)
        running = cache.incr(key)
    except ValueError:  # the counter expired between add and incr
        cache.set(key, 1, SLOT_SECONDS)
        running = 1
    except Exception as exc:  # a cache outage must not stop editors
        logger.warning("Preview limit unavailable, preview not limited: %s", exc)
        yield True
        return
    try:
        yield running <= most
    finally:
        try:
            cache.decr(key)
        except Exception:  # expired meanwhile, or the cache went away: nothing to give back
            pass


def preview_slot():
    """Yield True when a preview may run now, False when PREVIEW_CONCURRENCY are already running."""
    return _slot(KEY, settings.PREVIEW_CONCURRENCY)


@contextmanager
def live_preview_slot(editor_id):
    """Yield True when this editor has no live preview running and fewer than the site-wide limit run."""
    with ExitStack() as stack:
        mine = stack.enter_context(_slot(f"{LIVE_KEY}:{editor_id}", 1))
        yield mine and stack.enter_context(_slot(LIVE_KEY, settings.LIVE_PREVIEW_CONCURRENCY))
