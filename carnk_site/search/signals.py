"""Refresh the search index after content changes: keys are collected per transaction, refreshed once on commit.

An import of a thousand articles saves a thousand times inside one transaction; every save adds
its key to the pending batch and only the first registers the commit hook, so the index is
rebuilt once, for exactly what changed. The lead may route this through the publishing
pipeline later: everything that wires it up is in `connect_signals()`.
"""

import threading

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from carnk_site.caching import version

_local = threading.local()


class Batch:
    """Keys waiting for the current transaction to commit."""

    def __init__(self):
        self.articles, self.terms, self.claims = set(), set(), set()

    def __call__(self):
        if getattr(_local, "batch", None) is self:
            _local.batch = None
        from .index import refresh

        refresh(articles=self.articles, terms=self.terms, claims=self.claims)
        version.bump()


def queue(kind, keys):
    """Add keys to the current transaction's batch, registering its commit hook the first time."""
    batch = getattr(_local, "batch", None)
    connection = transaction.get_connection()
    fresh = batch is None or not _still_registered(connection, batch)  # none yet, or rolled back with its hook
    if fresh:
        batch = _local.batch = Batch()
        batch.hook_index = len(connection.run_on_commit)
    getattr(batch, kind).update(key for key in keys if key is not None)
    if fresh:
        transaction.on_commit(batch, robust=True)  # outside a transaction this runs at once


def _still_registered(connection, batch):
    """Tell whether the batch's commit hook is still waiting, looking only where it was registered.

    A rolled-back savepoint removes the hooks registered inside it, never one registered before it,
    so the hook stays at its index until it is itself removed: one look, however many hooks wait
    (an import registers thousands; scanning them all on every save was quadratic).
    """
    hooks = connection.run_on_commit
    index = getattr(batch, "hook_index", -1)
    return 0 <= index < len(hooks) and hooks[index][1] is batch


def article_changed(instance, **kwargs):
    queue("articles", [instance.pk])


def term_changed(instance, **kwargs):
    queue("terms", [instance.pk])


def claim_changed(instance, **kwargs):
    queue("claims", [instance.pk])


def citation_changed(instance, **kwargs):
    queue("claims", [instance.claim_id])


def article_claims_changed(instance, action, pk_set, reverse, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:
        queue("claims", [instance.pk])
    else:
        queue("articles", [instance.pk])
        queue("claims", pk_set or ())


def synonyms_changed(**kwargs):
    """Synonyms are read on every search: only cached pages need to go."""
    transaction.on_commit(version.bump, robust=True)


def connect_signals():
    """Refresh the index after any saved or deleted article, term, claim or citation."""
    from carnk_site.articles.models import Article
    from carnk_site.evidence.models import Citation, Claim
    from carnk_site.glossary.models import Term

    from .models import SynonymGroup

    for model, receiver in (
        (Article, article_changed),
        (Term, term_changed),
        (Claim, claim_changed),
        (Citation, citation_changed),
        (SynonymGroup, synonyms_changed),
    ):
        post_save.connect(receiver, sender=model, dispatch_uid=f"search-save-{model.__name__}")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"search-delete-{model.__name__}")
    m2m_changed.connect(article_claims_changed, sender=Article.claims.through, dispatch_uid="search-article-claims")
