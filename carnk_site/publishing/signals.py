"""Model signals that route every writer's changes through the pipeline, search rows and cache included.

Save handlers are connected for all senders and pick models by label, so a data migration's
historical models go through the pipeline too (refreshed at commit rather than rendered on save).
"""

from django.apps import apps
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from .commit import schedule
from .pipeline import pending
from .records import link_references, render_article, render_explanation
from .references import refuse_delete, refuse_id_change

ARTICLE, CLAIM, CITATION, SOURCE, TERM, SYNONYMS = (
    "articles.article",
    "evidence.claim",
    "evidence.citation",
    "evidence.source",
    "glossary.term",
    "search.synonymgroup",
)
# The fields of each record that rendered articles show: a change elsewhere re-renders nothing.
RENDERED_FIELDS = {
    CLAIM: ("slug", "evidence", "participants"),
    SOURCE: ("slug", "short_name", "commercial", "teller"),
    TERM: ("slug", "term", "aliases"),
}
WATCHED = {ARTICLE, CLAIM, CITATION, SOURCE, TERM, SYNONYMS}
# The search rows each saved or deleted record rebuilds: (kind, the key of the rows).
SEARCH_ROWS = {
    ARTICLE: ("articles", "pk"),
    TERM: ("terms", "pk"),
    CLAIM: ("claims", "pk"),
    CITATION: ("claims", "claim_id"),
}


def connect():
    pre_save.connect(before_save, dispatch_uid="publishing-pre-save")
    post_save.connect(after_save, dispatch_uid="publishing-post-save")
    # Delete handlers name their senders: a receiver for every model would stop Django's fast deletes.
    for label in WATCHED:
        model = apps.get_model(label)
        pre_delete.connect(before_delete, sender=model, dispatch_uid=f"publishing-pre-delete-{label}")
        post_delete.connect(after_delete, sender=model, dispatch_uid=f"publishing-post-delete-{label}")


def _label(sender):
    label = getattr(getattr(sender, "_meta", None), "label_lower", None)
    return label if label in WATCHED else None


def _is_current(sender, label):
    """Tell the app's model from a migration's historical copy, which has none of its methods."""
    return sender is apps.get_model(label)


def _values(instance, label):
    return tuple(getattr(instance, name) for name in RENDERED_FIELDS[label])


def before_save(sender, instance, raw=False, **kwargs):
    label = _label(sender)
    if label is None or raw:
        return
    if label in RENDERED_FIELDS:
        before = None
        if instance.pk is not None:
            before = sender._base_manager.filter(pk=instance.pk).values_list(*RENDERED_FIELDS[label]).first()
        instance._publishing_before = before
        if before is not None and before[0] != instance.slug:
            refuse_id_change(instance)
    current = _is_current(sender, label)
    context = instance.__dict__.pop("_render_context", None)
    if label == ARTICLE and current:
        instance._publishing_refs = render_article(instance, context)
    elif label == TERM and current:
        render_explanation(instance, context)


def _mark_search_rows(changes, label, instance):
    """Note the search rows the saved or deleted record rebuilds when the changes are published."""
    if label in SEARCH_ROWS:
        kind, key = SEARCH_ROWS[label]
        changes.search[kind].add(getattr(instance, key))


def after_save(sender, instance, created=False, raw=False, using=None, **kwargs):
    label = _label(sender)
    if label is None or raw:
        return
    changes = pending(using)
    changes.bump = True
    _mark_search_rows(changes, label, instance)
    if label == ARTICLE:
        refs = instance.__dict__.pop("_publishing_refs", None)
        if refs is None:
            changes.articles.add(instance.pk)
        else:
            if changes.link_later:
                changes.unlinked[instance.pk] = (instance, refs)
            else:
                link_references([(instance, refs)])
            changes.rendered.add(instance.pk)
    elif label == CITATION:
        changes.claims.add(instance.claim_id)
        changes.dependency_changed()
    elif label in RENDERED_FIELDS:  # synonyms are read on every search: only cached pages go stale
        before = instance.__dict__.pop("_publishing_before", None)
        now = _values(instance, label)
        if before != now:
            _record(changes, label, instance.pk, before, now)
    schedule(changes, using)


def _record(changes, label, pk, before, now):
    if label == CLAIM:
        changes.claims.add(pk)
    elif label == SOURCE:
        changes.sources.add(pk)
    else:
        # Only the names that came or went can change what links where; a new id moves every link.
        if before and before[0] != now[0]:
            changes.terms.add(pk)
        changes.names |= _names(before) ^ _names(now) if before else _names(now)
    changes.dependency_changed()


def _names(values):
    """Return a term's names (its term and aliases) from its (slug, term, aliases) values."""
    _, term, aliases = values
    return {term, *(line.strip() for line in aliases.splitlines() if line.strip())}


def before_delete(sender, instance, **kwargs):
    if _label(sender) in RENDERED_FIELDS:
        refuse_delete(instance)


def after_delete(sender, instance, using=None, **kwargs):
    label = _label(sender)
    if label is None:
        return
    changes = pending(using)
    changes.bump = True
    _mark_search_rows(changes, label, instance)
    if label == CITATION:
        changes.claims.add(instance.claim_id)
        changes.dependency_changed()
    elif label == ARTICLE:
        changes.unlinked.pop(instance.pk, None)
    schedule(changes, using)
