"""What readers tell us about a page: helpful or not, and in their own words. No personal data."""

from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

MAX_TEXT = 1000


class Feedback(models.Model):
    """One reader's answer to "Was this page helpful?", waiting to be triaged."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ACTED_ON = "acted", _("Acted on")
        DISMISSED = "dismissed", _("Dismissed")

    page = models.CharField(max_length=200, db_index=True, help_text=_("The address of the page the reader was on."))
    helpful = models.BooleanField()
    text = models.TextField(blank=True, max_length=MAX_TEXT)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW, db_index=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("reader feedback")
        verbose_name_plural = _("reader feedback")

    def __str__(self):
        return f"{self.page}: {'helpful' if self.helpful else 'not helpful'}"


def counts_per_page():
    """Return, per page, how many readers found it helpful, not helpful, and how many answers are untriaged."""
    return list(
        Feedback.objects.values("page")
        .annotate(
            yes=Count("pk", filter=Q(helpful=True)),
            no=Count("pk", filter=Q(helpful=False)),
            untriaged=Count("pk", filter=Q(status=Feedback.Status.NEW)),
        )
        .order_by("-untriaged", "-no", "page")
    )
