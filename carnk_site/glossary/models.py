"""Glossary terms that articles link to where they first appear."""

import reversion
from django.db import models
from django.urls import reverse

from carnk_site.core.models import SLUG_HELP, EditTokenMixin


class TermQuerySet(models.QuerySet):
    def public(self):
        """Return the terms readers may see: all of them, since every term is published in the A–Z glossary."""
        return self.all()


@reversion.register(exclude=["explanation_html"])
class Term(EditTokenMixin, models.Model):
    """A technical word with a one-sentence plain definition."""

    slug = models.SlugField("id", max_length=100, unique=True, help_text=SLUG_HELP)
    term = models.CharField(
        max_length=150, help_text="The word as readers will meet it, e.g. 'Cytokine release syndrome'."
    )
    aliases = models.TextField(
        blank=True, help_text="Other names, one per line, e.g. 'CRS'. Names in capitals only match in capitals."
    )
    definition = models.CharField(max_length=400, help_text="One plain sentence a 12-year-old could follow.")
    explanation = models.TextField(blank=True, help_text="Optional longer explanation in Markdown.")
    explanation_html = models.TextField(blank=True, editable=False)

    objects = TermQuerySet.as_manager()

    class Meta:
        ordering = ["term"]
        verbose_name = "glossary term"
        verbose_name_plural = "glossary terms"

    def __str__(self):
        return self.term

    def save(self, *args, render_context=None, **kwargs):
        """Save; the publishing pipeline renders the explanation's Markdown (once, never per request)."""
        self._render_context = render_context
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("glossary:term", args=[self.slug])

    @property
    def explanation_safe(self):
        from carnk_site.text.sanitise import trusted

        return trusted(self.explanation_html)

    @property
    def alias_list(self):
        """Return the aliases as a list, one per non-empty line."""
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    @property
    def initial(self):
        """Return the letter this term is filed under in the A–Z index."""
        return initial_of(self.term)


def initial_of(name):
    """Return the letter a term called `name` is filed under (the index reads names alone, not terms)."""
    first = name[:1].upper()
    return first if first.isalpha() else "#"
