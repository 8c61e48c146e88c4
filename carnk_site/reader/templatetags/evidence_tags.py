"""Template tags that draw an evidence label or profile the same way on every page."""

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import get_language

from carnk_site.text.levels import rank
from carnk_site.text.profile_strip import profile_strip_html
from carnk_site.text.sanitise import trusted

register = template.Library()


LABEL_HTML = '<span class="evidence" data-evidence-kind="{}">(<span class="evidence-scale {}" aria-hidden="true"></span>{})</span>'


@register.simple_tag
def evidence_label(claim, label=None):
    """Draw a claim's label: the strength scale (hidden from screen readers) and its words.

    Pass `label` when the caller has it already, to spare a query for the claim's citations.
    format_html rather than an included template: a results page draws twenty of them.
    """
    marker = _marker(claim.evidence, getattr(claim, "statement_kind", None))
    return format_html(LABEL_HTML, claim.evidence, marker, claim.label if label is None else label)


def _marker(kind, statement_kind=None):
    position = rank(kind, statement_kind)
    return "basic" if position is None else f"rank-{position}"


@register.simple_tag
def profile_strip(article):
    """Draw an article's evidence profile as the small strip lists show.

    The strip stored when the article was rendered, in the site's language; built from the stored
    profile for a page in another language (its words are translated) or an article not yet re-rendered.
    """
    if getattr(article, "profile_strip_html", "") and get_language() == settings.LANGUAGE_CODE:
        return trusted(article.profile_strip_html)
    return profile_strip_html(getattr(article, "evidence_profile", None))
