"""Draw the repeated parts of a results page in Python: a matched passage and a statement's sources.

Tags rather than loops in the template: a results page holds about 200 passage pieces and 80
source links, and the template loops spent 10-15 ms on them. Every piece of text goes through
format_html, which escapes it as autoescaping would; only the renderer marks HTML safe.
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def passage(pieces):
    """Return the (text, matched) pieces as HTML, each escaped, the matched ones in <mark>.

    One format_html call per passage: the markup is the format string, the texts its arguments.
    """
    markup = "".join("<mark>{}</mark>" if matched else "{}" for _text, matched in pieces)
    return format_html(markup, *(text for text, _matched in pieces)) if pieces else ""


@register.simple_tag(takes_context=True)
def statement_sources(context, citations):
    """Return a link to each cited passage, named by its source and marked when the source sells treatment.

    A source's address is worked out once per page: the same few sources back most statements.
    """
    urls = context.render_context.setdefault("source_urls", {})
    commercial = " (" + gettext("commercial") + ")"
    for citation in citations:
        if citation.source.pk not in urls:
            urls[citation.source.pk] = citation.source.get_absolute_url()
    return format_html_join(
        ", ",
        '<a href="{}#{}">{}{}</a>',
        (
            (urls[c.source.pk], c.anchor, c.source.short_name, commercial if c.source.commercial else "")
            for c in citations
        ),
    )
