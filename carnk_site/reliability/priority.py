"""Run editors' background-grade work (the live preview) at a lower CPU priority, so readers' requests win.

Linux gives each thread its own nice value: a few threads per worker process are niced once to
LIVE_PREVIEW_NICENESS and render every live preview, while the request's own thread waits. When
CPUs are busy the scheduler then serves readers' workers first; on an idle machine the preview is
as fast as before. A thread cannot be un-niced without privileges, hence threads kept for this alone.
Where per-thread nice is unavailable (not Linux, niceness 0, or refused) the work runs in the
caller's thread as before.
"""

import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import close_old_connections
from django.utils import translation

logger = logging.getLogger(__name__)

_pool = None
_pool_lock = threading.Lock()


def supported():
    """Tell whether this platform can lower one thread's CPU priority."""
    return hasattr(os, "setpriority") and hasattr(threading, "get_native_id") and os.uname().sysname == "Linux"


def lower_this_thread(niceness):
    """Raise the calling thread's nice value by `niceness`; return True if it took effect."""
    try:
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, os.getpriority(os.PRIO_PROCESS, tid) + niceness)
    except (OSError, AttributeError) as exc:
        logger.warning("Could not lower the live preview's CPU priority: %s", exc)
        return False
    return True


def _executor():
    """Return this process's pool of niced threads (one per live preview allowed at once), made on first use."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(
                max_workers=max(1, settings.LIVE_PREVIEW_CONCURRENCY),
                thread_name_prefix="live-preview",
                initializer=lower_this_thread,
                initargs=(settings.LIVE_PREVIEW_NICENESS,),
            )
        return _pool


def _in_worker(language, func, args, kwargs):
    close_old_connections()  # the pool's threads keep their own connections: drop broken or expired ones
    try:
        with translation.override(language):
            return func(*args, **kwargs)
    finally:
        close_old_connections()


def run_at_low_priority(func, *args, **kwargs):
    """Return func(*args, **kwargs), computed in a niced thread when LIVE_PREVIEW_NICENESS asks for one.

    The caller waits for the answer; exceptions reach it unchanged. The work reads the database on
    its own connection, so it sees committed data only (as a preview needs).
    """
    if settings.LIVE_PREVIEW_NICENESS <= 0 or not supported():
        return func(*args, **kwargs)
    return _executor().submit(_in_worker, translation.get_language(), func, args, kwargs).result()


def reset_after_fork():
    """Forget a pool inherited through fork: its threads did not come along."""
    global _pool, _pool_lock
    _pool, _pool_lock = None, threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=reset_after_fork)
