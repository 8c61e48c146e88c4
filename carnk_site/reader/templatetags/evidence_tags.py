"""Template tags that draw an evidence label or profile the same way on every page."""

from django import template
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext

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


@register.simple_tag
def profile_strip(profile):
    """Draw an article's evidence profile as the small strip lists show (`evidence/_profile.html` with small).

    format_html rather than the included template: a list draws twenty to fifty of them, and the
    template's loops were half the home page's render.
    """
    if not profile or not profile.get("total"):
        return ""
    rungs = [r for r in profile.get("rungs", ()) if r.get("count")]
    groups = [g for g in profile.get("groups", ()) if g.get("count")]
    rects = [(_rung_class(r), localize(r.get("offset") or 0), localize(r.get("share"))) for r in rungs]
    rects += [(f"fill {g.get('key')}", localize(g.get("offset") or 0), localize(g.get("share"))) for g in groups]
    spoken = [profile.get("car_nk_words", "")] if profile.get("groups") else []
    hidden = format_html(
        "{}{}{}",
        format_html_join("", "{} ", ((words,) for words in spoken)),
        format_html_join("", "{} {}; ", ((localize(r["count"]), str(r.get("label", "")).lower()) for r in rungs)),
        format_html_join("", "{} ", ((g.get("words", ""),) for g in groups)),
    )
    total = profile["total"]
    return format_html(
        '<p class="evidence-profile small">\n  <svg class="profile-strip" viewBox="0 0 100 6" '
        'preserveAspectRatio="none" width="100%" height="6" aria-hidden="true" focusable="false">{}</svg>\n'
        '  <span class="meta">{}<span class="visually-hidden">: {}</span> · {}</span>\n</p>',
        format_html_join("", '<rect class="{}" x="{}" width="{}" height="6"/>', rects),
        ngettext("Rests on %(total)s statement", "Rests on %(total)s statements", total) % {"total": localize(total)},
        hidden,
        gettext("%(share)s%% only from companies selling treatment") % {"share": localize(profile.get("seller_share"))},
    )


def _rung_class(rung):
    return "fill basic" if rung.get("rank") is None else f"fill rank-{rung['rank']}"
