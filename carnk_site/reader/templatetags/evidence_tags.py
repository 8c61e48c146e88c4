"""Template tags that draw an evidence label or profile the same way on every page."""

from django import template
from django.utils.html import format_html

from carnk_site.text.levels import rank

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
