"""Which version of an article a clinician signed off, and whether readers' text still matches it.

An approval records a fingerprint of the text readers see (title, summary, key points, body, as the
writer wrote them). The sign-off shown to readers is the newest approval whose fingerprint matches
the article's current text: any change to that text needs a new approval. SignOff keeps that
answer next to the article (refreshed by the publishing table whenever an article or approval is saved) so a page
fetches it with the article; the page still compares fingerprints, so a stale row never shows.
"""

import hashlib
import json

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from reversion.models import Version

from carnk_site.articles.models import Article
from carnk_site.review.models import Approval, ReviewerProfile, SignOff

READER_FIELDS = ("title", "summary", "key_points", "body")


class ApprovalRefused(Exception):
    """Raised when someone may not approve this version; the message says why, for the reviewer."""


def content_hash(values):
    """Return the fingerprint of an article's reader-visible text (an article or a dict of its fields)."""
    if not isinstance(values, dict):
        values = {name: getattr(values, name) for name in READER_FIELDS}
    text = json.dumps([str(values.get(name) or "").replace("\r\n", "\n").strip() for name in READER_FIELDS])
    return hashlib.sha256(text.encode()).hexdigest()


def latest_version(article):
    return Version.objects.get_for_object(article).select_related("revision__user").first()


def matching_approval(article):
    return Approval.objects.filter(article=article, content_hash=content_hash(article)).first()


def refresh(article, new=False):
    """Point the article's SignOff (an article, or its id) at the newest approval matching its current text."""
    if new:  # nobody can have approved an article that did not exist: one INSERT, no look-ups
        SignOff.objects.create(article=article)
        return
    if not isinstance(article, Article):
        article = Article.objects.filter(pk=article).first()
        if article is None:
            return
    SignOff.objects.update_or_create(article=article, defaults={"approval": matching_approval(article)})


def shown_approval(article):
    """Return the approval readers see for an article fetched with signoff__approval__reviewer, or None."""
    try:
        approval = article.signoff.approval
    except SignOff.DoesNotExist:
        return None
    if approval is None or approval.content_hash != content_hash(article):
        return None
    return approval


def approve(article, user, comment="", *, seen_token=None):
    """Record the user's approval of the article's saved text; raise ApprovalRefused with the reason.

    `seen_token` is the edit token of the text the reviewer's page showed: a save since then is refused.
    """
    profile = ReviewerProfile.objects.filter(user=user).first()
    if profile is None or not user.has_perm("review.add_approval"):
        raise ApprovalRefused(_("Only a clinical reviewer with a reviewer profile can approve an article."))
    if (
        seen_token is not None
        and seen_token != Article.objects.filter(pk=article.pk).values_list("edit_token", flat=True).first()
    ):
        raise ApprovalRefused(
            _(
                "This article was saved after you opened it, so nothing was recorded. Read the new text and decide again."
            )
        )
    version = latest_version(article)
    if user.pk in writers_since_approval(article):
        raise ApprovalRefused(
            _("You saved part of this text: a clinical reviewer who did not write it must approve it.")
        )
    if matching_approval(article) is not None:
        raise ApprovalRefused(_("This version is already approved."))
    with transaction.atomic():
        return Approval.objects.create(
            article=article, reviewer=profile, comment=comment, content_hash=content_hash(article), version=version
        )


def writers_since_approval(article):
    """Return the ids of everyone who saved the article since it was last approved (ever, if never)."""
    versions = Version.objects.get_for_object(article)
    last = Approval.objects.filter(article=article).order_by("-created").values_list("created", flat=True).first()
    if last is not None:
        versions = versions.filter(revision__date_created__gt=last)
    return set(versions.exclude(revision__user=None).values_list("revision__user_id", flat=True))


def approved_for_publishing(article, cleaned):
    """Return True if the form's text may be published: approved, or already published and unchanged.

    "Already published" is judged against the newest saved version in the history, not the row the
    form was built from: restoring an old version reverts the row first, and must not count as unchanged.
    """
    if article.pk is None:
        return False
    new_hash = content_hash(cleaned)
    if Approval.objects.filter(article=article, content_hash=new_hash).exists():
        return True
    version = latest_version(article)
    saved = version.field_dict if version else Article.objects.filter(pk=article.pk).values().first() or {}
    # Unchanged published text (e.g. loaded from content/, not yet reviewed) may be saved again.
    return saved.get("status") == Article.Status.PUBLISHED and content_hash(saved) == new_hash


def awaiting_review(user):
    """Return articles in review that the user did not save last and whose text nobody approved yet."""
    waiting = []
    for article in Article.objects.filter(status=Article.Status.REVIEW).order_by("order", "title"):
        version = latest_version(article)
        if matching_approval(article) is None and (version is None or version.revision.user_id != user.pk):
            waiting.append((article, version))
    return waiting
