"""Template tags for machine-readable data on reader pages."""

from django import template

from carnk_site.machine_readable.jsonld import article_jsonld
from carnk_site.text.sanitise import json_script_data

register = template.Library()


@register.simple_tag(takes_context=True)
def article_json_ld(context, article, approval=None, shown_language=None):
    """Return the article's JSON-LD, ready for a <script type="application/ld+json"> element."""
    request = context["request"]
    url = request.build_absolute_uri(article.get_absolute_url())
    translated = shown_language.translation if shown_language is not None else None
    english_url = request.build_absolute_uri(shown_language.english_address) if translated is not None else ""
    return json_script_data(article_jsonld(article, url, approval, translated, english_url))
