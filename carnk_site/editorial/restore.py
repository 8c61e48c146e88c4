"""Restore one record from its history, and nothing else that happens to share the history entry.

django-reversion's admin restores a version by reverting its whole revision. One `loadcontent`
writes every record it loads into a single revision, so restoring one imported article that way
would put every article, claim and term of that import back as the files had them, silently
undoing editors' later work. Here only the chosen record is put back, with the records it
follows in its history (a claim's citations); anything else in the revision is left alone.
"""

from reversion.errors import RevertError
from reversion.revisions import _follow_relations_recursive, _get_options

from carnk_site.publishing.references import refuse_id_change
from carnk_site.publishing.signals import restored


def restore(version):
    """Put back the record `version` holds, with its followed records; refuse a change of a used id.

    A restore is an edit like any other. The record's row is locked first, as a form's save locks
    it, so no save can commit between reading its edit token and the admin form's "changed
    meanwhile" check that follows in the same transaction. The record is reverted as reversion
    does (raw), keeping that token; the pipeline is told what the raw write changed (a term's
    earlier name re-renders the articles using it), since the form's save that follows sees the
    restored values as already saved. Followed records are saved and deleted normally, so the
    pipeline sees them too (a claim's sources decide its label).
    """
    old = _as_saved(version)
    refuse_id_change(old)
    followed = _followed_versions(version)
    followers = [_as_saved(v) for v in followed]
    for record in (old, *followers):
        _refuse_missing_targets(record)
    current = type(old)._base_manager.select_for_update().filter(pk=old.pk).first()
    version.revert()
    restored(old, current)
    if current is not None:
        if hasattr(current, "edit_token"):
            # Keep the token of the record as it is now: a save by someone else after the editor opened
            # this version is then refused as "changed meanwhile", like any other save, not overwritten.
            type(old)._base_manager.filter(pk=old.pk).update(edit_token=current.edit_token)
        kept = {(type(record), str(record.pk)) for record in followers}
        for obj in _follow_relations_recursive(current) - {current}:
            if (type(obj), str(obj.pk)) not in kept:
                obj.delete()
    for record in followers:
        record.save()


def _refuse_missing_targets(record):
    """Raise RevertError (shown to the editor) if the version names a record deleted since, e.g. a source."""
    for field in record._meta.concrete_fields:
        target = getattr(record, field.attname) if field.is_relation else None
        if target is not None and not field.related_model._base_manager.filter(pk=target).exists():
            raise RevertError(
                f"This version cannot be restored: its {record._meta.verbose_name} names a "
                f"{field.related_model._meta.verbose_name} that has been deleted since. "
                "Open the record and make the change by hand instead."
            )


def _as_saved(version):
    """Return the record as `version` holds it (`version.object` is the record as it is now)."""
    return version._object_version.object


def _followed_versions(version):
    """Return the versions in the same revision of the records `version`'s record follows (reverse keys)."""
    model, pk = version._model, str(version.object_id)
    followed = []
    for name in _get_options(model).follow:
        relation = model._meta.get_field(name)
        if not relation.one_to_many:
            raise NotImplementedError(f"Restoring follows only reverse foreign keys, not {model.__name__}.{name}.")
        key = relation.field.attname
        # An import's revision holds thousands of versions: read only those whose text holds the key.
        candidates = version.revision.version_set.get_for_model(relation.related_model, model_db=version.db)
        followed += [
            other for other in candidates.filter(serialized_data__contains=pk) if str(other.field_dict[key]) == pk
        ]
    return followed
