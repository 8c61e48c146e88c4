"""The A–Z glossary's entries (term, aliases, definition) drawn in Python, a page of 200 at a time.

format_html rather than a template loop: the loop, with a URL reversed per term, was most of an
uncached glossary page's render. The output is the markup the loop wrote, byte for byte.
"""

from django.urls import reverse
from django.utils.html import format_html, format_html_join

#: A slug never holds this, so it marks where each term's slug goes in its reversed URL.
PLACEHOLDER = "slug-placeholder-0"
#: Marks English words on a page in another language; a constant, so it goes into the format strings.
ENGLISH = ' lang="en"'


def glossary_entries(terms, mark_english):
    """Return the `<dt>`/`<dd>` pairs of the terms, each as the index template's loop wrote it."""
    before, after = reverse("glossary:term", args=[PLACEHOLDER]).split(PLACEHOLDER)
    english = ENGLISH if mark_english else ""
    return format_html_join("", "{}", ((_entry(term, f"{before}{term.slug}{after}", english),) for term in terms))


def _entry(term, url, english):
    aliases = format_html_join(", ", "{}", ((alias,) for alias in term.alias_list))
    name = getattr(term, "translated_name", None)
    if name:
        more = format_html(", {}", aliases) if aliases else ""
        heading = format_html(
            '<a href="{}">{}</a> <span class="aliases" lang="en">({}{})</span>', url, name, term.term, more
        )
    else:
        more = format_html(' <span class="aliases"' + english + ">({})</span>", aliases) if aliases else ""
        heading = format_html('<a href="{}"' + english + ">{}</a>{}", url, term.term, more)
    definition = getattr(term, "translated_definition", None)
    return format_html(
        '\n    <dt id="{}">{}</dt>\n    <dd' + ("" if definition else english) + ">{}</dd>\n  ",
        term.slug,
        heading,
        definition or term.definition,
    )
