"""Sources, the claims the site makes, and the quoted passages that support them."""

import reversion
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from carnk_site.core.models import SLUG_HELP, EditTokenMixin
from carnk_site.text.levels import (
    EvidenceLevel,
    ParticipantsStated,
    StatementKind,
    Subject,
    Teller,
    evidence_label,
    kind_problem,
    tellers_in_order,
)
from carnk_site.text.quotes import quote_in_text

PUBLISHED = "published"  # Article.Status.PUBLISHED: articles sit above this app, so it is not imported


#: A source's page lists this many of the statements resting on it at a time: a source cited hundreds
#: of times would otherwise make one page of hundreds of kilobytes.
CITATIONS_PER_PAGE = 50


def citation_url(source_slug, claim_slug, position):
    """Return the link to a citation's passage on its source page: the one place the link is built.

    `?claim=` lets the source page find the page of its list holding the claim; the fragment is the
    passage's id on that page, as it always was.
    """
    return f"{reverse('evidence:source', args=[source_slug])}?claim={claim_slug}#cite-{claim_slug}-{position}"


class SourceQuerySet(models.QuerySet):
    def public(self):
        """Return the sources a published article rests on: a source added for a draft stays private."""
        uses = Source.articles.through.objects.filter(source=models.OuterRef("pk"), article__status=PUBLISHED)
        return self.filter(models.Exists(uses))


@reversion.register()
class Source(EditTokenMixin, models.Model):
    """A document the site explains and cites, with its archived text."""

    slug = models.SlugField("id", max_length=100, unique=True, help_text=SLUG_HELP)
    title = models.CharField(
        max_length=300, blank=True, help_text="The title as the document gives it. Leave empty if it has none."
    )
    short_name = models.CharField(max_length=100, help_text="How citations name this source, e.g. 'CancerFax guide'.")
    publisher = models.CharField(max_length=200, blank=True, help_text="Only if the document states it.")
    author = models.CharField(max_length=200, blank=True, help_text="Only if the document states it.")
    date = models.CharField(
        max_length=100,
        blank=True,
        help_text="The date as the document states it, e.g. 'January 9, 2026'. Leave empty if none is given.",
    )
    kind = models.CharField(
        max_length=200, help_text="What kind of source this is, in plain words, e.g. 'Medical news article'."
    )
    commercial = models.BooleanField(
        default=False,
        help_text="Tick if the publisher sells treatment access or consultations. Readers will see a label.",
    )
    teller = models.CharField(
        "who tells it",
        max_length=20,
        choices=Teller.choices,
        help_text="What kind of document this is for readers: the study's own report, a news report about it, "
        "a company selling treatment, or a personal blog. Labels say it unless a claim cites the study's own report.",
    )
    interests = models.CharField(max_length=400, help_text="One plain sentence on what the publisher has to gain.")
    text = models.TextField(
        "archived text",
        help_text="The document's article text, verbatim, without navigation, adverts or comments. Quotes are checked against it.",
    )
    text_changed_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the archived text last changed: claims checked before then need checking again.",
    )

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["short_name"]
        verbose_name = "source"
        verbose_name_plural = "sources"

    def __str__(self):
        return self.short_name

    def save(self, *args, **kwargs):
        """Note when the archived text changes, so the claims citing it get checked again."""
        previous = type(self).objects.filter(pk=self.pk).values_list("text", flat=True).first() if self.pk else None
        if previous is not None and previous != self.text:
            self.text_changed_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("evidence:source", args=[self.slug])

    @property
    def display_title(self):
        """Return the document's own title, or our short name when it states none."""
        return self.title or self.short_name


class ClaimQuerySet(models.QuerySet):
    def source_changed_since_checked(self):
        """Return claims with a citation whose source text changed after the citation was checked."""
        return self.filter(citations__source__text_changed_at__gt=models.F("citations__checked_at")).distinct()

    def public(self):
        """Return claims that at least one published article rests on: the only ones readers see."""
        uses = Claim.articles.through.objects.filter(claim=models.OuterRef("pk"), article__status=PUBLISHED)
        return self.filter(models.Exists(uses))


@reversion.register(follow=["citations"])
class Claim(EditTokenMixin, models.Model):
    """A single factual statement the site makes, with its evidence level."""

    slug = models.SlugField("id", max_length=100, unique=True, help_text=SLUG_HELP)
    statement = models.TextField(
        help_text="The fact in plain words, as the site says it. Hedge it as the evidence requires ('In a small early trial...')."
    )
    evidence = models.CharField(
        "evidence level",
        max_length=30,
        choices=EvidenceLevel.choices,
        help_text=(
            "For a finding: the kind of study it comes from; choose the lowest level the source supports."
            " Any other kind of statement is not graded on the study ladder: choose 'No study named'"
            " (background may also be 'Basic biology')."
        ),
    )
    statement_kind = models.CharField(
        "kind of statement",
        max_length=20,
        choices=StatementKind.choices,
        default=StatementKind.FINDING,
        help_text=(
            "A finding is a result in people, animals or the lab, and is graded on the study ladder."
            " Regulator or trial status (approved or not, registered trials), background (how the body"
            " works, what a word means), a company's price or service, and a recommendation or opinion"
            " are not: readers see what kind of statement it is and who tells it."
        ),
    )
    about = models.CharField(
        "what it is about",
        max_length=20,
        choices=Subject.choices,
        default=Subject.CAR_NK,
        help_text=(
            "Which treatment or topic the statement is about. A CAR-T result is never counted as CAR-NK"
            " evidence in a page's profile."
        ),
    )
    participants = models.PositiveIntegerField(
        "number of people",
        null=True,
        blank=True,
        help_text=(
            "How many people took part, as a quote of this claim states it. A trial finding always needs it,"
            " unless the source names the study without its size."
        ),
    )
    participants_stated = models.CharField(
        "how the source gives the number",
        max_length=20,
        choices=ParticipantsStated.choices,
        default=ParticipantsStated.EXACTLY,
        help_text="“More than” shows e.g. “more than 20 people”; “not given” shows “number of people not given”.",
    )

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]
        verbose_name = "claim"
        verbose_name_plural = "claims"

    def __str__(self):
        return self.slug

    def get_absolute_url(self):
        first = self.citations.first()
        return first.get_absolute_url() if first else reverse("evidence:levels")

    def clean(self):
        if problem := kind_problem(self.statement_kind, self.evidence):
            raise ValidationError({"evidence": f"This {problem}."})

    @property
    def tellers(self):
        """Return who tells this claim: the distinct tellers of its cited sources."""
        return tellers_in_order(c.source.teller for c in self.citations.all())

    @property
    def label(self):
        """Return the label readers see, e.g. 'Phase I · 11 people · told by a company selling treatment'."""
        return evidence_label(
            self.evidence,
            self.participants,
            self.tellers,
            statement_kind=self.statement_kind,
            participants_stated=self.participants_stated,
        )


@reversion.register()
class Citation(models.Model):
    """A verbatim passage from a source that supports a claim."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="citations")
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="citations", help_text="The document the quote comes from."
    )
    quote = models.TextField(
        help_text="Copy the passage exactly from the source's archived text. Differences in spaces, quote marks and dashes are ignored; nothing else is."
    )
    position = models.PositiveSmallIntegerField(default=1, help_text="Order of this citation under its claim.")
    checked_at = models.DateTimeField(
        default=timezone.now, editable=False, help_text="When an editor last checked this quote against its source."
    )

    class Meta:
        ordering = ["claim", "position", "pk"]
        verbose_name = "citation"
        verbose_name_plural = "citations"
        constraints = [models.UniqueConstraint(fields=["claim", "position"], name="unique_citation_position")]

    def __str__(self):
        return f"{self.claim.slug} ← {self.source}"

    def save(self, *args, **kwargs):
        """A new or changed quote counts as checked against its source now."""
        if self.pk:
            before = type(self).objects.filter(pk=self.pk).values_list("source_id", "quote").first()
            if before != (self.source_id, self.quote):
                self.checked_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return citation_url(self.source.slug, self.claim.slug, self.position)

    @property
    def anchor(self):
        """Return the id of this citation's passage on its source page."""
        return f"cite-{self.claim.slug}-{self.position}"

    def clean(self):
        if self.source_id and self.quote and not quote_in_text(self.quote, self.source.text):
            raise ValidationError(
                {
                    "quote": f"This quote is not found word for word in “{self.source}”. Copy it exactly from the source's archived text."
                }
            )
