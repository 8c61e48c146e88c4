"""The public side of an article's history: dated change notes from editors."""

from reversion.models import Version

IMPORT_NOTE = "Loaded from the content files"
KEPT_NOTE = "Admin version kept in history before a forced load from the content files"
INTERNAL_NOTES = (IMPORT_NOTE, KEPT_NOTE)
PUBLIC_CHANGES_SHOWN = 10


def public_changes(article):
    """Return (date, note) for the latest editor changes to an article, newest first, in one query."""
    versions = (
        Version.objects.filter(
            content_type__app_label="articles", content_type__model="article", object_id=str(article.pk)
        )
        .exclude(revision__comment="")
        .exclude(revision__comment__in=INTERNAL_NOTES)
        .order_by("-revision__date_created")
        .values_list("revision__date_created", "revision__comment")
    )
    return list(versions[:PUBLIC_CHANGES_SHOWN])
