"""Changes to published articles: drafted, submitted, approved or sent back, then published.

Readers keep seeing an article's live text while a newer revision waits. A clinical reviewer who
wrote no part of the revision approves the exact text their review page showed; approval
publishes it at once, or at the time the writer chose (`publish_due`, run by `publishpending`).
Saving a draft never unpublishes anything; unpublishing is its own action.
"""

import logging

import reversion
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from carnk_site.articles.models import Article
from carnk_site.articles.reader_notes import record_reader_note
from carnk_site.review.models import Approval, ReviewComment, ReviewerProfile, Revision
from carnk_site.review.roles import REVIEWERS_GROUP
from carnk_site.review.signoff import READER_FIELDS, ApprovalRefused, check_evidence_seen, content_hash, evidence_hash

logger = logging.getLogger(__name__)
State = Revision.State


def live_text(article):
    """Return the text readers see (or will see) of the article, as stored on it."""
    return {name: getattr(article, name) for name in READER_FIELDS}


def open_revision(article):
    """Return the article's revision still on its way to readers, or None."""
    return Revision.objects.open().filter(article=article).first()


def save_draft(article, text, user, *, go_live_at=None, note="", note_for_readers=False):
    """Keep the writer's text as the article's open revision, never touching the live text.

    A change to a submitted or approved revision takes it back to a draft: the reviewer approves
    a text, not a revision that may change under them.
    """
    with transaction.atomic():
        revision = Revision.objects.open().select_for_update().filter(article=article).first()
        revision = revision or Revision(article=article)
        changed = revision.pk is None or revision.text != text
        for name, value in text.items():
            setattr(revision, name, value)
        if changed and revision.state != State.CHANGES_REQUESTED:
            revision.state = State.DRAFT
        revision.go_live_at = go_live_at
        if note:
            revision.change_note, revision.note_for_readers = note, note_for_readers
        revision.save()
        if changed and user is not None:
            revision.authors.add(user)
    return revision


def submit(revision, user):
    """Put the revision in the reviewers' queue and tell them (the caller has run the editorial checks)."""
    revision.state, revision.submitted_at = State.SUBMITTED, timezone.now()
    revision.save(update_fields=["state", "submitted_at", "edit_token", "updated"])
    tell(
        reviewers(exclude=revision.authors.all()),
        _("Waiting for your review: %(title)s") % {"title": revision.article.title},
        _("%(user)s submitted a change to “%(title)s” for clinical review. Open it in the admin: %(url)s")
        % {"user": user.get_username(), "title": revision.article.title, "url": review_url(revision.article)},
    )


def check_reviewer(revision, user, seen_token):
    """Return the user's reviewer profile, or raise ApprovalRefused saying why they may not decide."""
    profile = ReviewerProfile.objects.filter(user=user).first()
    if profile is None or not user.has_perm("review.add_approval"):
        raise ApprovalRefused(_("Only a clinical reviewer with a reviewer profile can approve or send back a change."))
    if revision.authors.filter(pk=user.pk).exists():
        raise ApprovalRefused(
            _("You wrote part of this change: a clinical reviewer who did not write it must review it.")
        )
    if seen_token != revision.edit_token:
        raise ApprovalRefused(
            _(
                "This change was edited after you opened it, so nothing was recorded. Read the new text and decide again."
            )
        )
    if revision.state != State.SUBMITTED:
        raise ApprovalRefused(
            _("This change is not waiting for review (it is “%(state)s”).") % {"state": revision.get_state_display()}
        )
    return profile


def approve(revision, user, comment="", *, seen_token, seen_evidence=None):
    """Approve the exact text, and the evidence it cites, the reviewer saw; publish it now or at its time.

    Raise ApprovalRefused.
    """
    with transaction.atomic():
        revision = Revision.objects.select_for_update().get(pk=revision.pk)
        profile = check_reviewer(revision, user, seen_token)
        check_evidence_seen(revision.text, seen_evidence)
        Approval.objects.create(
            article=revision.article,
            reviewer=profile,
            comment=comment,
            content_hash=content_hash(revision.text),
            evidence_hash=evidence_hash(revision.text),
            revision=revision,
        )
        revision.decided_at = timezone.now()
        if revision.go_live_at and revision.go_live_at > revision.decided_at:
            revision.state = State.APPROVED
            revision.save(update_fields=["state", "decided_at", "updated"])
        else:
            publish(revision, user)
    tell(
        revision.authors.all(),
        _("Approved: %(title)s") % {"title": revision.article.title},
        _("%(name)s approved your change to “%(title)s”. %(when)s")
        % {
            "name": profile.display_name,
            "title": revision.article.title,
            "when": _("It is live now.")
            if revision.state == State.PUBLISHED
            else _("It goes live at %(time)s.")
            % {"time": date_format(timezone.localtime(revision.go_live_at), "DATETIME_FORMAT")},
        },
    )
    return revision


def request_changes(revision, user, comment, *, seen_token):
    """Send the revision back to its writers with the reviewer's comment. Raise ApprovalRefused."""
    if not comment.strip():
        raise ApprovalRefused(_("Say what should change: the writer sees your comment."))
    with transaction.atomic():
        revision = Revision.objects.select_for_update().get(pk=revision.pk)
        check_reviewer(revision, user, seen_token)
        ReviewComment.objects.create(article=revision.article, author=user, text=comment)
        revision.state, revision.decided_at = State.CHANGES_REQUESTED, timezone.now()
        revision.save(update_fields=["state", "decided_at", "updated"])
    tell(
        revision.authors.all(),
        _("Changes requested: %(title)s") % {"title": revision.article.title},
        _("A clinical reviewer asked for changes to “%(title)s”:\n\n%(comment)s\n\nOpen it: %(url)s")
        % {"title": revision.article.title, "comment": comment, "url": review_url(revision.article)},
    )
    return revision


def publish(revision, user=None):
    """Copy the revision's text into the article, which publishes it (rendered by the publishing table)."""
    article = Article.objects.select_for_update().get(pk=revision.article_id)
    for name, value in revision.text.items():
        setattr(article, name, value)
    article.status = Article.Status.PUBLISHED
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(revision.change_note or _("Published an approved change"))
        article.save()
    if revision.note_for_readers:
        record_reader_note(article, revision.change_note)
    revision.state = State.PUBLISHED
    revision.save(update_fields=["state", "decided_at", "updated"])


def publish_due(now=None):
    """Publish the approved revisions whose time has come; return how many."""
    due = Revision.objects.filter(state=State.APPROVED, go_live_at__lte=now or timezone.now())
    count = 0
    for revision in due.order_by("go_live_at"):
        with transaction.atomic():
            publish(revision)
        count += 1
    return count


def discard(revision):
    """Drop the open revision: readers keep the live text, the draft stays in the history."""
    revision.state = State.DISCARDED
    revision.save(update_fields=["state", "updated"])


def unpublish(article, user):
    """Take the article off the site (its own action; saving a change never does this)."""
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(_("Unpublished"))
        article.status = Article.Status.DRAFT
        article.save()


def reviewers(exclude=()):
    """Return the active clinical reviewers, but those excluded (a revision's writers)."""
    excluded = [user.pk for user in exclude]
    return get_user_model().objects.filter(is_active=True, groups__name=REVIEWERS_GROUP).exclude(pk__in=excluded)


def review_url(article):
    return reverse("admin:articles_article_approve", args=[article.pk])


def tell(users, subject, message):
    """E-mail the users who gave an address (Django's e-mail backend); a failure is logged, never raised."""
    addresses = sorted({user.email for user in users if user.email})
    if not addresses:
        return
    try:
        send_mail(subject, message, None, addresses)
    except Exception:  # the decision is recorded; a mail server's trouble must not undo it
        logger.exception("Could not send '%s' to %d editors", subject, len(addresses))
