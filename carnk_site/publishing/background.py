"""Re-render large change sets after the editor's request, in chunks, from a job kept in the database.

Renaming a term every article holds re-renders the whole library: seconds per hundred articles,
far too long to hold an editor's save (and past the worker timeout on a large library). Such a
change commits at once; its refresh is written down as a `RefreshJob` and run by a thread of the
same process, a chunk of articles per transaction, bumping the page cache after each chunk.
The thread is not a daemon, so a worker that is told to stop finishes its chunk first; a job whose
process died is taken up again by the next refresh, by `loadcontent` or by `manage.py publishpending`.
"""

import datetime
import logging
import threading

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from carnk_site.caching import version
from carnk_site.publishing.models import RefreshJob
from carnk_site.publishing.pipeline import refresh_articles
from carnk_site.search import index

logger = logging.getLogger(__name__)

CHUNK = 100
#: A job claimed this long ago whose process never finished it is taken up again.
ABANDONED_AFTER = datetime.timedelta(minutes=5)
_running = threading.Lock()


def in_request_limit():
    """Return how many articles a change may re-render inside the writer's request."""
    return getattr(settings, "PUBLISHING_IN_REQUEST_MAX_ARTICLES", 100)


def enqueue(articles, body_only=()):
    """Write the refresh down; it runs when the writer's publishing ends (`start`)."""
    RefreshJob.objects.create(articles=sorted(articles), body_only=sorted(body_only))


def waiting():
    """Tell whether any refresh is written down and not yet done (one cheap query)."""
    return RefreshJob.objects.exists()


def start():
    """Run the pending jobs in a thread of this process (at once where settings turn threads off)."""
    if not getattr(settings, "PUBLISHING_IN_BACKGROUND", True):
        run_pending()
        return
    threading.Thread(target=_run_in_thread, name="publishing-refresh", daemon=False).start()


def _run_in_thread():
    if not _running.acquire(blocking=False):
        return  # the running thread takes up new jobs before it stops
    try:
        run_pending()
    except Exception:
        logger.exception("A background refresh failed; the next refresh or `manage.py publishpending` retries it.")
    finally:
        _running.release()
        connection.close()  # this thread's own connection


def pending_articles():
    """Return how many articles are waiting for a background refresh."""
    return sum(len(ids) for ids in RefreshJob.objects.values_list("articles", flat=True))


def run_pending():
    """Run every job no live process is running; return how many articles were re-rendered."""
    done = 0
    while job := _claim():
        body_only = set(job.body_only)
        for start_at in range(0, len(job.articles), CHUNK):
            chunk = job.articles[start_at : start_at + CHUNK]
            with transaction.atomic():
                result = refresh_articles(chunk, body_only=body_only.intersection(chunk))
                index.refresh(articles=result.changed_articles)
                done += result.rendered
            version.bump()
        job.delete()
    return done


def _claim():
    """Take the oldest job nobody is running (or whose runner died), or return None."""
    now = timezone.now()
    for job in RefreshJob.objects.order_by("pk")[:20]:
        if job.claimed_at and job.claimed_at > now - ABANDONED_AFTER:
            continue
        # Compare-and-set on the claim time: of two processes taking the same job, one wins.
        taken = RefreshJob.objects.filter(pk=job.pk, claimed_at=job.claimed_at).update(claimed_at=now)
        if taken:
            job.claimed_at = now
            return job
    return None
