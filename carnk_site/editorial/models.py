"""Change notes an editor chose to show to readers; every other note stays in the internal history."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReaderNoteQuerySet(models.QuerySet):
    def for_article(self, article):
        """Return notes written for readers of this article or of a claim it rests on."""
        from carnk_site.articles.models import Article

        claims = Article.claims.through.objects.filter(article_id=article.pk).values("claim_id")
        return self.filter(models.Q(article_id=article.pk) | models.Q(claim_id__in=claims))


class ReaderNote(models.Model):
    """A dated change note shown under "Changes to this page": on one article, or on every article citing a claim."""

    article = models.ForeignKey(
        "articles.Article", null=True, blank=True, on_delete=models.CASCADE, related_name="reader_notes"
    )
    claim = models.ForeignKey(
        "evidence.Claim", null=True, blank=True, on_delete=models.CASCADE, related_name="reader_notes"
    )
    note = models.CharField(_("note"), max_length=300)
    created = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)

    objects = ReaderNoteQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("note for readers")
        verbose_name_plural = _("notes for readers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(article__isnull=False, claim__isnull=True)
                | models.Q(article__isnull=True, claim__isnull=False),
                name="reader_note_on_article_or_claim",
            )
        ]

    def __str__(self):
        return self.note
