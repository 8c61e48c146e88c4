"""The site-wide content version: one number that changes whenever published content may have.

Every cached page is stored with the version it was rendered at, so bumping the number makes
all of them stale at once, in every worker that shares the cache (Redis). The bump runs after
the transaction commits: bumping earlier would let a concurrent request cache the old page
under the new number.
"""

import logging
import time

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

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


def content_changed(**kwargs):
    transaction.on_commit(bump, robust=True)


def connect_signals():
    """Bump the version after any saved or deleted article, claim, citation, source or term."""
    from carnk_site.articles.models import Article
    from carnk_site.evidence.models import Citation, Claim, Source
    from carnk_site.glossary.models import Term

    for model in (Article, Claim, Citation, Source, Term):
        post_save.connect(content_changed, sender=model, dispatch_uid=f"page-cache-save-{model.__name__}")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"page-cache-delete-{model.__name__}")
    for relation in (Article.claims, Article.terms, Article.sources):
        through = relation.through
        m2m_changed.connect(content_changed, sender=through, dispatch_uid=f"page-cache-m2m-{through.__name__}")
