"""The small evidence-profile strip that article lists show, as HTML built from a stored profile.

Built when an article is rendered and stored with it (`Article.profile_strip_html`), so a list of
fifty articles reads fifty strings instead of drawing fifty strips per request. format_html rather
than a template: the template's loops were half the home page's render.
"""

from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext


def profile_strip_html(profile):
    """Return the strip for a profile from `text.profile.evidence_profile` ("" when it counts nothing)."""
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
