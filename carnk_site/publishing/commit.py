"""What happens when a writer's transaction commits: refresh what it changed, its search rows, then the cached pages showing it."""

import functools

from django.db import transaction

from carnk_site.caching import version
from carnk_site.publishing import background
from carnk_site.publishing.pages import stale_names
from carnk_site.publishing.pipeline import articles_citing, refresh
from carnk_site.review import signoff
from carnk_site.search import index


def schedule(changes, using=None):
    """Publish the changes when the transaction commits (at once outside a transaction).

    Every change registers a callback (the first to run publishes, the rest find nothing to do):
    a rolled-back savepoint or a test capturing callbacks then always leaves one that runs.
    """
    transaction.on_commit(functools.partial(publish, changes), using=using, robust=True)


def publish(changes):
    """Refresh what the changes affect (a large set after the response), then mark stale the pages showing it."""
    if changes.done:
        return
    changes.done = True
    stale = None  # every page, unless the refresh says which
    try:
        result = refresh(changes, later=background.enqueue, limit=background.in_request_limit())
        index.refresh(
            articles=changes.search["articles"] | result.changed_articles,
            terms=changes.search["terms"] | result.changed_terms,
            claims=changes.search["claims"],
        )
        if any(changes.signed_evidence.values()):  # an approved page whose evidence changed says so
            signoff.evidence_changed(articles_citing(**changes.signed_evidence))
        if changes.bump:
            stale = stale_names(changes, result)
    finally:
        if changes.bump:  # even after a failed refresh: a page may hold the committed text itself
            version.bump(stale)
    if background.waiting():
        background.start()
