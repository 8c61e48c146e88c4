"""Template tags that draw an evidence label or profile the same way on every page."""

from django import template

from carnk_site.evidence.levels import rank, scale_text

register = template.Library()


@register.inclusion_tag("evidence/_label.html")
def evidence_label(claim, label=None):
    """Draw a claim's label: the strength scale (hidden from screen readers) and its words.

    Pass `label` when the caller has it already, to spare a query for the claim's citations.
    """
    position = rank(claim.evidence)
    return {
        "kind": claim.evidence,
        "label": claim.label if label is None else label,
        "marker": "basic" if position is None else f"rank-{position}",
    }


@register.inclusion_tag("evidence/_scale.html")
def evidence_scale(kind):
    """Draw the strength scale for one kind, with its meaning in words for screen readers."""
    position = rank(kind)
    return {"marker": "basic" if position is None else f"rank-{position}", "words": scale_text(kind)}
