"""What happens when a writer's transaction commits: refresh what it changed, then bump the page cache."""

import functools

from django.db import transaction

from carnk_site.caching import version

from . import background
from .pipeline import refresh


def schedule(changes, using=None):
    """Publish the changes when the transaction commits (at once outside a transaction).

    Every change registers a callback (the first to run publishes, the rest find nothing to do):
    a rolled-back savepoint or a test capturing callbacks then always leaves one that runs.
    """
    transaction.on_commit(functools.partial(publish, changes), using=using, robust=True)


def publish(changes):
    """Refresh what the changes affect (a large set after the response), then mark cached pages stale."""
    if changes.done:
        return
    changes.done = True
    refresh(changes, later=background.enqueue, limit=background.in_request_limit())
    if changes.bump:
        version.bump()
    if background.waiting():
        background.start()
