"""An article's two evidence sections as HTML in the site's language, built from its stored profile.

What the page rests on, and what each statement rests on (a quoted passage per citation), grow
with the article's number of statements: drawn per request they were most of an uncached
article's render. The pipeline stores them with the article (`profile_html`, `claims_cited_html`)
whenever it renders one; the page shows them as stored in the site's language and draws them
from the stored profile in another language (translated words, our translations of quotes).
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation


def evidence_sections(profile):
    """Return (profile HTML, claims-cited HTML) for a profile from `text.profile.evidence_profile`."""
    if not profile or not profile.get("total"):
        return "", ""
    context = {"article": {"evidence_profile": profile}}
    with translation.override(settings.LANGUAGE_CODE):
        return (
            render_to_string("articles/_profile_details.html", context),
            render_to_string("articles/_claims_cited.html", context),
        )
