"""What needs an editor's attention, gathered for the admin's editorial overview."""

import datetime

from carnk_site.articles.models import Article
from carnk_site.content_files.models import ImportedRecord
from carnk_site.content_files.records import fingerprint, records
from carnk_site.content_files.schema import SCHEMAS
from carnk_site.evidence.models import Claim
from carnk_site.feedback.models import counts_per_page
from carnk_site.review import moderation
from carnk_site.review.models import Revision
from carnk_site.review.roles import is_reviewer
from carnk_site.review.signoff import awaiting_review
from carnk_site.translations.models import out_of_date


def unexported_edits():
    """Return (folder, record) for records changed in the admin since they were last loaded or exported."""
    changed = []
    for schema in SCHEMAS:
        known = dict(ImportedRecord.objects.filter(kind=schema.folder).values_list("slug", "fingerprint"))
        changed += [(schema.folder, obj) for obj in records(schema) if known.get(obj.slug) != fingerprint(schema, obj)]
    return changed


def overview_context(today=None, user=None):
    """Gather the overview; a clinical reviewer also sees what awaits their review, a writer their changes."""
    today = today or datetime.date.today()
    reviewer = user is not None and is_reviewer(user)
    moderation.publish_due()  # an approved change whose time has come goes live now, even without cron
    return {
        "awaiting_review": awaiting_review(user) if reviewer else None,
        "changes_to_review": Revision.objects.filter(state=Revision.State.SUBMITTED)
        .exclude(authors=user)
        .select_related("article")
        if reviewer
        else None,
        "your_changes": Revision.objects.open().filter(authors=user).select_related("article").distinct()
        if user is not None
        else [],
        "feedback_counts": counts_per_page(),
        "overdue": Article.objects.review_overdue(today).order_by("next_review_due"),
        "due_soon": Article.objects.filter(
            next_review_due__gte=today, next_review_due__lte=today + datetime.timedelta(days=30)
        ),
        "unpublished": Article.objects.exclude(status=Article.Status.PUBLISHED).order_by("status", "order"),
        "recheck": Claim.objects.source_changed_since_checked().prefetch_related("citations__source"),
        "unexported": unexported_edits(),
        "translations_behind": out_of_date(),
    }
