"""Re-render large change sets after the editor's request, in chunks, from a job kept in the database.

Renaming a term every article holds re-renders the whole library: seconds per hundred articles,
far too long to hold an editor's save (and past the worker timeout on a large library). Such a
change commits at once; its refresh is written down as a `RefreshJob` and run by a thread of the
same process, a chunk of articles per transaction, bumping the page cache after each chunk.
The thread is not a daemon, so a worker that is told to stop finishes its chunk first.

A process can also die mid-job (killed, out of memory). The runner proves it is alive with a
heartbeat: each chunk commits together with the job's remaining articles and a fresh
`heartbeat_at`. A job whose heartbeat is older than PUBLISHING_JOB_STALE_SECONDS (30 s, several
times the 4 s a chunk takes, so a slow runner keeps its job) is taken over, from where it stopped,
by whoever looks next: a request to any worker (`resume_abandoned`, one query at most every
PUBLISHING_RESUME_CHECK_SECONDS per process), a save, `loadcontent` or `manage.py publishpending`.
"""

import datetime
import logging
import threading
import time

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from carnk_site.caching import version
from carnk_site.publishing.models import RefreshJob
from carnk_site.publishing.pipeline import refresh_articles
from carnk_site.search import index

logger = logging.getLogger(__name__)

CHUNK = 100
_running = threading.Lock()
_last_check = {"at": float("-inf")}


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


def stale_after():
    return datetime.timedelta(seconds=settings.PUBLISHING_JOB_STALE_SECONDS)


def abandoned():
    """Return the jobs nobody is running: claimed with a stale heartbeat, or never claimed and as old."""
    since = timezone.now() - stale_after()
    return RefreshJob.objects.filter(
        models.Q(heartbeat_at__lt=since) | models.Q(heartbeat_at__isnull=True, created__lt=since)
    )


def resume_abandoned(**_signal):
    """On a request, at most every PUBLISHING_RESUME_CHECK_SECONDS: restart any job whose runner died."""
    every, now = settings.PUBLISHING_RESUME_CHECK_SECONDS, time.monotonic()
    if every is None or now - _last_check["at"] < every:
        return
    _last_check["at"] = now
    try:
        found = abandoned().exists()
    except Exception:  # the database is down: the request answers as it can, the next check retries
        logger.warning("Could not look for abandoned refresh jobs.", exc_info=True)
        return
    if found:
        logger.warning("Resuming a background refresh whose process stopped.")
        start()


def run_pending():
    """Run every job no live process is running; return how many articles were re-rendered."""
    done = 0
    while job := _claim():
        done += _run(job)
    return done


def _run(job):
    """Re-render the job's articles a chunk at a time; each chunk commits with the heartbeat and what is left."""
    done = 0
    body_only = set(job.body_only)
    while job.articles:
        chunk, rest = job.articles[:CHUNK], job.articles[CHUNK:]
        with transaction.atomic():
            if not RefreshJob.objects.select_for_update().filter(pk=job.pk, heartbeat_at=job.heartbeat_at).exists():
                logger.warning("Refresh job %s was taken over by another process; leaving it to that one.", job.pk)
                return done
            result = refresh_articles(chunk, body_only=body_only.intersection(chunk))
            index.refresh(articles=result.changed_articles)
            job.articles, job.heartbeat_at = rest, timezone.now()
            RefreshJob.objects.filter(pk=job.pk).update(articles=rest, heartbeat_at=job.heartbeat_at)
            done += result.rendered
        version.bump()
    job.delete()
    return done


def _claim():
    """Take the oldest job nobody is running (or whose runner died), or return None."""
    now = timezone.now()
    since = now - stale_after()
    for job in RefreshJob.objects.order_by("pk")[:20]:
        if job.heartbeat_at and job.heartbeat_at >= since:
            continue
        # Compare-and-set on the heartbeat: of two processes taking the same job, one wins.
        taken = RefreshJob.objects.filter(pk=job.pk, heartbeat_at=job.heartbeat_at).update(
            claimed_at=now, heartbeat_at=now
        )
        if taken:
            job.claimed_at = job.heartbeat_at = now
            return job
    return None
