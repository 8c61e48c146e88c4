"""Clinical sign-off: who may approve, what they approved, and what they said about drafts."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
    version = models.ForeignKey(
        "reversion.Version",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The saved version in the article's history that was approved."),
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

    class Meta:
        verbose_name = _("current sign-off")
        verbose_name_plural = _("current sign-offs")

    def __str__(self):
        return str(self.approval or "not reviewed")
