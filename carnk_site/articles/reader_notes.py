"""The public side of the history: only change notes an editor wrote for readers, never the admin's log.

Reversion keeps every save with its comment (the editor's note, or the admin's own log text such as
"Changed Summary."): that history is internal. Readers see a note only when the editor ticked
"Show this note to readers" on an article, or "Show to readers of articles citing this claim" on a
claim; such notes are copied to ReaderNote when the version is saved. Notes on terms and sources
are never shown.
"""

from carnk_site.articles.models import Article, ReaderNote

IMPORT_NOTE = "Loaded from the content files"
KEPT_NOTE = "Admin version kept in history before a forced load from the content files"
INTERNAL_NOTES = (IMPORT_NOTE, KEPT_NOTE)
PUBLIC_CHANGES_SHOWN = 10
FEED_ENTRIES = 30

# Model name -> the ReaderNote field it fills; other models' notes are never shown to readers.
READER_NOTE_TARGETS = {"article": "article", "claim": "claim"}


def can_note_for_readers(model):
    return model._meta.model_name in READER_NOTE_TARGETS


def record_reader_note(obj, note):
    """Keep an editor's note for readers of the saved article or claim."""
    field = READER_NOTE_TARGETS.get(obj._meta.model_name)
    note = (note or "").strip()
    if field and note and note not in INTERNAL_NOTES:
        return ReaderNote.objects.create(note=note, **{field: obj})
    return None


def public_changes(article):
    """Return (date, note) for the latest notes written for this article's readers, newest first, in one query."""
    notes = ReaderNote.objects.for_article(article).values_list("created", "note")
    return list(notes[:PUBLIC_CHANGES_SHOWN])


def recent_public_changes(limit=FEED_ENTRIES):
    """Return (note id, date, note, article slug, article title) for published articles, newest first, in two queries."""
    published = Article.Status.PUBLISHED
    own = ReaderNote.objects.filter(article__status=published).values_list(
        "pk", "created", "note", "article__slug", "article__title"
    )
    via_claims = (
        Article.claims.through.objects.filter(article__status=published, claim__reader_notes__isnull=False)
        .order_by("-claim__reader_notes__created")
        .values_list(
            "claim__reader_notes__pk",
            "claim__reader_notes__created",
            "claim__reader_notes__note",
            "article__slug",
            "article__title",
        )
    )
    rows = list(own[:limit]) + list(via_claims[:limit])
    return sorted(rows, key=lambda row: (row[1], row[0]), reverse=True)[:limit]
