"""Draw the repeated parts of a results page in Python: a matched passage and a statement's sources.

Tags rather than loops in the template: a results page holds about 200 passage pieces and 80
source links, and the template loops spent 10-15 ms on them. Every piece of text goes through
escape(), as autoescaping would; nothing here is marked safe unescaped.
"""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def passage(pieces):
    """Return the (text, matched) pieces as HTML, each escaped, the matched ones in <mark>."""
    return mark_safe("".join(f"<mark>{escape(text)}</mark>" if matched else escape(text) for text, matched in pieces))


@register.simple_tag(takes_context=True)
def statement_sources(context, citations):
    """Return a link to each cited passage, named by its source and marked when the source sells treatment.

    A source's address is worked out once per page: the same few sources back most statements.
    """
    urls = context.render_context.setdefault("source_urls", {})
    commercial = " (" + gettext("commercial") + ")"
    links = []
    for citation in citations:
        source = citation.source
        if source.pk not in urls:
            urls[source.pk] = source.get_absolute_url()
        links.append(
            f'<a href="{escape(urls[source.pk])}#{escape(citation.anchor)}">'
            f"{escape(source.short_name)}{escape(commercial) if source.commercial else ''}</a>"
        )
    return mark_safe(", ".join(links))
