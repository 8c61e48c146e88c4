"""The one table of what each saved or deleted record refreshes, and the model signals that read it.

Every writer (admin form, restore, loadcontent, shell, data migration) saves through Django's
models, so these receivers are the single way derived data follows content. Save receivers are
connected for all senders and pick models by label, so a data migration's historical models go
through the pipeline too (refreshed at commit rather than rendered on save). Every entry also
marks the cached pages showing the record stale once the transaction commits (`commit.publish`,
`publishing.pages`).
"""

from dataclasses import dataclass

from django.apps import apps
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from carnk_site.about.models import render_page_body
from carnk_site.publishing.commit import schedule
from carnk_site.publishing.pipeline import pending
from carnk_site.publishing.records import carried_rendering, link_references, render_article, render_explanation
from carnk_site.publishing.references import refuse_delete, refuse_id_change
from carnk_site.review import signoff


@dataclass(frozen=True)
class Refreshes:
    """What saving or deleting one kind of record refreshes, besides the page cache (always)."""

    renders_itself: str = ""  # "article", "explanation" or "page": its own HTML, rendered as it is saved
    shown_as: tuple = ()  # fields other pages render: a change re-renders the articles and terms showing it
    search_rows: tuple = ()  # (kind, attribute holding the key) of the search rows it rebuilds
    sign_off_of: str = ""  # "self", or the attribute holding the id of the article whose sign-off it can change
    signed_evidence: tuple = ()  # ("claims" or "sources", attribute holding the key): evidence approvals rest on
    protected: bool = False  # deleting it, or changing its id, is refused while articles use it


ARTICLE, CLAIM, CITATION, SOURCE, TERM = (
    "articles.article",
    "evidence.claim",
    "evidence.citation",
    "evidence.source",
    "glossary.term",
)
TABLE = {
    ARTICLE: Refreshes(renders_itself="article", search_rows=("articles", "pk"), sign_off_of="self"),
    CLAIM: Refreshes(
        shown_as=("slug", "evidence", "participants", "statement_kind", "about"),
        search_rows=("claims", "pk"),
        signed_evidence=("claims", "pk"),
        protected=True,
    ),
    # A citation: its claim's label and sources on every page.
    CITATION: Refreshes(search_rows=("claims", "claim_id"), signed_evidence=("claims", "claim_id")),
    SOURCE: Refreshes(
        shown_as=("slug", "short_name", "commercial", "teller"), signed_evidence=("sources", "pk"), protected=True
    ),
    TERM: Refreshes(
        renders_itself="explanation", shown_as=("slug", "term", "aliases"), search_rows=("terms", "pk"), protected=True
    ),
    "search.synonymgroup": Refreshes(),  # read on every search: only cached result pages go stale
    "search.intent": Refreshes(),  # the same
    "review.approval": Refreshes(sign_off_of="article_id"),
    "review.signoff": Refreshes(),
    "review.reviewerprofile": Refreshes(),  # the reviewer's name on signed-off pages
    "trust.trustpage": Refreshes(renders_itself="page"),  # the pages about the site
}


def connect():
    pre_save.connect(before_save, dispatch_uid="publishing-pre-save")
    post_save.connect(after_save, dispatch_uid="publishing-post-save")
    # Delete receivers name their senders: a receiver for every model would stop Django's fast deletes.
    for label in TABLE:
        model = apps.get_model(label)
        pre_delete.connect(before_delete, sender=model, dispatch_uid=f"publishing-pre-delete-{label}")
        post_delete.connect(after_delete, sender=model, dispatch_uid=f"publishing-post-delete-{label}")


def _entry(sender):
    label = getattr(getattr(sender, "_meta", None), "label_lower", None)
    return (label, TABLE[label]) if label in TABLE else (None, None)


def _is_current(sender, label):
    """Tell the app's model from a migration's historical copy, which has none of its methods."""
    return sender is apps.get_model(label)


def before_save(sender, instance, raw=False, **kwargs):
    label, entry = _entry(sender)
    if entry is None or raw:
        return
    if entry.shown_as:
        before = None
        if instance.pk is not None:
            before = sender._base_manager.filter(pk=instance.pk).values_list(*entry.shown_as).first()
        instance._publishing_before = before
        if entry.protected and before is not None and before[0] != instance.slug:
            refuse_id_change(instance)
    if not entry.renders_itself or not _is_current(sender, label):
        return
    context = instance.__dict__.pop("_render_context", None)
    if entry.renders_itself == "article":
        instance._publishing_refs = carried_rendering(instance) or render_article(instance, context)
    elif entry.renders_itself == "explanation":
        render_explanation(instance, context)
    else:
        instance.body_html = render_page_body(instance.body)


def after_save(sender, instance, created=False, raw=False, using=None, **kwargs):
    label, entry = _entry(sender)
    if entry is None or raw:
        return
    changes = pending(using)
    changes.bump = True
    changes.touch(label, instance)
    _mark_search_rows(changes, entry, instance)
    if entry.renders_itself == "article":
        _article_saved(changes, instance)
    elif label == CITATION:
        changes.claims.add(instance.claim_id)
        changes.dependency_changed()
    elif entry.shown_as:
        before = instance.__dict__.pop("_publishing_before", None)
        now = tuple(getattr(instance, name) for name in entry.shown_as)
        if before != now:
            _record(changes, label, instance.pk, before, now)
    if entry.sign_off_of and _is_current(sender, label):
        article = instance if entry.sign_off_of == "self" else getattr(instance, entry.sign_off_of)
        signoff.refresh(article, new=created and article is instance)
    schedule(changes, using)


def restored(record, current, using=None):
    """Refresh what a raw write of `record` over `current` (None: it was deleted) changed, as its save would.

    A history restore writes the old version raw, so the admin form's save that follows finds the
    restored values already in the row and would see no change of name, label or teller.
    """
    label, entry = _entry(type(record))
    if entry is None or not entry.shown_as:
        return
    before = tuple(getattr(current, name) for name in entry.shown_as) if current is not None else None
    now = tuple(getattr(record, name) for name in entry.shown_as)
    if before != now:
        changes = pending(using)
        changes.bump = True
        _mark_search_rows(changes, entry, record)
        _record(changes, label, record.pk, before, now)
        schedule(changes, using)


def _mark_search_rows(changes, entry, instance):
    """Note the search rows the saved or deleted record rebuilds, and the sign-offs it may put out of date."""
    if entry.search_rows:
        kind, key = entry.search_rows
        changes.search[kind].add(getattr(instance, key))
    if entry.signed_evidence:
        kind, key = entry.signed_evidence
        changes.signed_evidence[kind].add(getattr(instance, key))


def _article_saved(changes, article):
    refs = article.__dict__.pop("_publishing_refs", None)
    if refs is None:  # a historical model (data migration): rendered when the changes are published
        changes.articles.add(article.pk)
        return
    if changes.link_later:
        changes.unlinked[article.pk] = (article, refs)
    else:
        link_references([(article, refs)])
    changes.rendered.add(article.pk)


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
    _, entry = _entry(sender)
    if entry is not None and entry.protected:
        refuse_delete(instance)


def after_delete(sender, instance, using=None, **kwargs):
    label, entry = _entry(sender)
    if entry is None:
        return
    changes = pending(using)
    changes.bump = True
    changes.touch(label, instance)
    _mark_search_rows(changes, entry, instance)
    if label == CITATION:
        changes.claims.add(instance.claim_id)
        changes.dependency_changed()
    elif label == ARTICLE:
        changes.unlinked.pop(instance.pk, None)
    schedule(changes, using)
