"""Pages that say who we are and how we work: about, editorial policy, accessibility, corrections."""

import reversion
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from carnk_site.core.models import SLUG_HELP, EditTokenMixin
from carnk_site.text.rendering import RenderContext, render
from carnk_site.text.sanitise import trusted


def render_page_body(text):
    """Render a page's Markdown (the publishing table does, on save): no claim or glossary links, which belong in articles."""
    return render(text, RenderContext(claims={}, terms={}), link_terms=False).html


@reversion.register(exclude=["body_html"])
class TrustPage(EditTokenMixin, models.Model):
    """A page about the site itself, linked from every page's footer."""

    slug = models.SlugField("id", max_length=100, unique=True, help_text=SLUG_HELP)
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300, help_text=_("One plain line that says what the page answers."))
    body = models.TextField(help_text=_("Markdown. Plain words; say only what is true of this site today."))
    body_html = models.TextField(blank=True, editable=False)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("page about the site")
        verbose_name_plural = _("pages about the site")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("about:page", args=[self.slug])

    @property
    def body_safe(self):
        return trusted(self.body_html)
