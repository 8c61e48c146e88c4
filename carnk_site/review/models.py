"""Clinical sign-off: who may approve, what they approved, and what they said about drafts."""

import reversion
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from carnk_site.core.models import EditTokenMixin


class ReviewerProfile(models.Model):
    """How a clinical reviewer is named to readers: from the person's own details, via `createeditor` or the admin."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviewer_profile")
    display_name = models.CharField(
        _("name shown to readers"),
        max_length=120,
        help_text=_("The reviewer's name as they want it shown, e.g. 'Dr Jane Smith'."),
    )
    credentials = models.CharField(
        max_length=200, blank=True, help_text=_("Their qualifications as they state them, e.g. 'MBBS, FRCPath'.")
    )
    role = models.CharField(
        max_length=200, help_text=_("Their clinical role in plain words, e.g. 'Consultant haematologist'.")
    )

    class Meta:
        ordering = ["display_name"]
        verbose_name = _("clinical reviewer")
        verbose_name_plural = _("clinical reviewers")

    def __str__(self):
        return f"{self.display_name}, {self.role}"


class Approval(models.Model):
    """A clinical reviewer's sign-off of one version of an article's reader-visible text."""

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="approvals")
    reviewer = models.ForeignKey(ReviewerProfile, on_delete=models.PROTECT, related_name="approvals")
    comment = models.TextField(blank=True, max_length=2000)
    content_hash = models.CharField(
        max_length=64, db_index=True, help_text=_("Fingerprint of the title, summary, key points and body approved.")
    )
    evidence_hash = models.CharField(
        max_length=64,
        blank=True,
        help_text=_(
            "Fingerprint of the evidence the text cites, as readers saw it when approved: each claim's statement, "
            "kind, level and number of people, each quote and its source's teller. Empty: approved before it was kept."
        ),
    )
    version = models.ForeignKey(
        "reversion.Version",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The saved version in the article's history that was approved."),
    )
    revision = models.ForeignKey(
        "Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="approvals",
        help_text=_("The revision of a published article that was approved, if it was one."),
    )
    created = models.DateTimeField(_("approved at"), auto_now_add=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        get_latest_by = "created"

    def __str__(self):
        return f"{self.article} approved by {self.reviewer.display_name}"


class ReviewComment(models.Model):
    """A reviewer's (or writer's) comment on an article, shown on its change page."""

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="review_comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("comment"), max_length=2000)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")

    def __str__(self):
        return f"{self.author} on {self.article}: {self.text[:50]}"


class SignOff(models.Model):
    """Derived: the newest approval matching an article's current text, so a page fetches it in its own query."""

    article = models.OneToOneField(
        "articles.Article", on_delete=models.CASCADE, primary_key=True, related_name="signoff"
    )
    approval = models.ForeignKey(Approval, null=True, on_delete=models.SET_NULL, related_name="+")
    evidence_changed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_(
            "When the evidence the article cites first differed from what the approval saw; empty if it does not."
        ),
    )

    class Meta:
        verbose_name = _("current sign-off")
        verbose_name_plural = _("current sign-offs")

    def __str__(self):
        return str(self.approval or "not reviewed")


class RevisionQuerySet(models.QuerySet):
    def open(self):
        """Return the revisions still on their way to readers (not yet published or discarded)."""
        return self.filter(state__in=Revision.OPEN_STATES)


@reversion.register()
class Revision(EditTokenMixin, models.Model):
    """A change to a published article's text, kept apart from what readers see until a clinician approves it.

    While a revision is drafted, reviewed, sent back or scheduled, the article keeps serving its
    live text; approval copies the revision's text into the article (publishing it) at once or at
    `go_live_at`. An article has at most one open revision.
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Waiting for clinical review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        APPROVED = "approved", _("Approved, waiting for its time to go live")
        PUBLISHED = "published", _("Published")
        DISCARDED = "discarded", _("Discarded")

    OPEN_STATES = (State.DRAFT, State.SUBMITTED, State.CHANGES_REQUESTED, State.APPROVED)

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300)
    key_points = models.TextField(blank=True)
    body = models.TextField()
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT, db_index=True)
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="+",
        blank=True,
        help_text=_("Everyone who wrote any part of this revision: none of them may approve it."),
    )
    go_live_at = models.DateTimeField(
        _("go live at"), null=True, blank=True, help_text=_("Leave empty to publish as soon as it is approved.")
    )
    change_note = models.CharField(max_length=300, blank=True, help_text=_("What changed and why, for the history."))
    note_for_readers = models.BooleanField(
        default=False, help_text=_("Show the change note to readers once the change is published.")
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        constraints = [
            models.UniqueConstraint(
                fields=["article"],
                condition=models.Q(state__in=["draft", "submitted", "changes_requested", "approved"]),
                name="one_open_revision_per_article",
            )
        ]

    def __str__(self):
        return f"{self.article}: {self.get_state_display()}"

    @property
    def text(self):
        """Return the reader-visible text of this revision, field by field."""
        return {name: getattr(self, name) for name in ("title", "summary", "key_points", "body")}
