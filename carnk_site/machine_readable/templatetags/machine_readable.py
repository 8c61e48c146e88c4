"""Template tags for machine-readable data on reader pages."""

from django import template

from carnk_site.machine_readable.jsonld import article_jsonld
from carnk_site.text.sanitise import json_script_data

register = template.Library()


@register.simple_tag(takes_context=True)
def article_json_ld(context, article, approval=None):
    """Return the article's JSON-LD, ready for a <script type="application/ld+json"> element."""
    url = context["request"].build_absolute_uri(article.get_absolute_url())
    return json_script_data(article_jsonld(article, url, approval))
