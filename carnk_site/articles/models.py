"""Articles: editor-written Markdown, stored with the HTML it renders to."""

import datetime

import reversion
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from carnk_site.core.models import SLUG_HELP, EditTokenMixin
from carnk_site.evidence.models import Claim, Source
from carnk_site.glossary.models import Term
from carnk_site.text.rendering import split_on_this_page
from carnk_site.text.sanitise import trusted


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Return the articles readers may see, in reading order."""
        return self.filter(status=Article.Status.PUBLISHED).order_by("order", "title")

    def review_overdue(self, today=None):
        """Return articles whose next review date has passed."""
        return self.filter(next_review_due__lt=today or datetime.date.today())


DERIVED_FIELDS = [
    "key_points_html",
    "body_html",
    "reading_minutes",
    "evidence_profile",
    "profile_strip_html",
    "profile_html",
    "claims_cited_html",
    "claims",
    "terms",
    "sources",
]


@reversion.register(exclude=DERIVED_FIELDS)
class Article(EditTokenMixin, models.Model):
    """A page of the patient library."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"

    slug = models.SlugField("id", max_length=100, unique=True, help_text=SLUG_HELP)
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300, help_text="One plain line that tells a reader what the page answers.")
    order = models.PositiveIntegerField(default=100, help_text="Position in the list of articles: lower comes first.")
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text="Only published articles are shown to readers.",
    )
    last_reviewed = models.DateField(help_text="When a medical writer last checked this page against its sources.")
    next_review_due = models.DateField(help_text="When it must be checked again.")
    key_points = models.TextField(
        blank=True,
        help_text="Three to five short sentences, one per line, shown in a box at the top. Claim links work here.",
    )
    body = models.TextField(
        help_text="Markdown. Mark words that rest on a claim like [8 of 11 people responded](claim:mda-cd19-response); link a term with [CRS](term:cytokine-release-syndrome)."
    )

    key_points_html = models.TextField(blank=True, editable=False)
    body_html = models.TextField(blank=True, editable=False)
    reading_minutes = models.PositiveSmallIntegerField(default=1, editable=False)
    evidence_profile = models.JSONField(
        default=dict, blank=True, editable=False, help_text="What the page rests on, counted when it is rendered."
    )
    profile_strip_html = models.TextField(
        blank=True, editable=False, help_text="The profile's small strip that lists show, built when it is rendered."
    )
    profile_html = models.TextField(
        blank=True,
        editable=False,
        help_text="What the page rests on, in the site's language, built when it is rendered.",
    )
    claims_cited_html = models.TextField(
        blank=True, editable=False, help_text="The quoted passage for each statement, built when it is rendered."
    )
    claims = models.ManyToManyField(Claim, related_name="articles", blank=True, editable=False)
    terms = models.ManyToManyField(Term, related_name="articles", blank=True, editable=False)
    sources = models.ManyToManyField(Source, related_name="articles", blank=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["order", "title"]
        verbose_name = "article"
        verbose_name_plural = "articles"

    def __str__(self):
        return self.title

    def save(self, *args, render_context=None, **kwargs):
        """Save; the publishing pipeline renders the Markdown and records what the page rests on.

        `render_context` lets a writer that renders many records (loadcontent) share one context.
        """
        self._render_context = render_context
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:detail", args=[self.slug])

    @property
    def body_safe(self):
        return trusted(self.body_html)

    @property
    def on_this_page_safe(self):
        """Return the body's "On this page" list alone (empty for a short article): the page shows it first."""
        return trusted(split_on_this_page(self.body_html)[0])

    @property
    def body_text_safe(self):
        """Return the body without its "On this page" list."""
        return trusted(split_on_this_page(self.body_html)[1])

    @property
    def key_points_safe(self):
        return trusted(self.key_points_html)

    @property
    def profile_safe(self):
        return trusted(self.profile_html)

    @property
    def claims_cited_safe(self):
        return trusted(self.claims_cited_html)

    @property
    def key_point_list(self):
        """Return the key points, one per non-empty line."""
        return [line.strip() for line in self.key_points.splitlines() if line.strip()]


class ReaderNoteQuerySet(models.QuerySet):
    def for_article(self, article):
        """Return notes written for readers of this article or of a claim it rests on."""
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
        db_table = "editorial_readernote"  # made by the editorial app, before notes moved here with the articles
        constraints = [
            models.CheckConstraint(
                condition=models.Q(article__isnull=False, claim__isnull=True)
                | models.Q(article__isnull=True, claim__isnull=False),
                name="reader_note_on_article_or_claim",
            )
        ]

    def __str__(self):
        return self.note
