"""Heading ids a translation shares with its English, so `#warning-signs` opens the same section in every language.

Python-Markdown's toc extension makes ids from heading words; Chinese or Devanagari words give `_1`,
`_2`, … instead. A translation that keeps the English sections in order takes the English ids by
position, and a link between languages (or from a search result) keeps working.
"""

import re

_HEADING_ID = re.compile(r'(<h[1-6] id=")([^"]*)(")')


def heading_ids(html):
    """Return the ids of the headings in rendered HTML, in order."""
    return [match.group(2) for match in _HEADING_ID.finditer(html)]


def take_heading_ids(html, headings, english_ids):
    """Give the headings of `html` the English ids, by position; return (html, headings) with the new ids.

    `headings` is the rendering's list of (id, text). When the number of headings differs, the
    sections do not line up and nothing changes (the readability check names such a file).
    """
    own = heading_ids(html)
    if len(own) != len(english_ids) or own == english_ids:
        return html, headings
    renamed = dict(zip(own, english_ids, strict=True))
    ids = iter(english_ids)
    html = _HEADING_ID.sub(lambda m: f"{m.group(1)}{next(ids)}{m.group(3)}", html)
    return html, [(renamed.get(anchor, anchor), text) for anchor, text in headings]
