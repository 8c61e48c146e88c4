"""Decide whether a quoted passage appears verbatim in a source's text."""

import re

_QUOTE_MARKS = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
_DASHES = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2212]")
_SPACE = re.compile(r"\s+")


def fold(text):
    """Fold whitespace, curly quote marks and dashes, and nothing else."""
    return _SPACE.sub(" ", _DASHES.sub("-", text.translate(_QUOTE_MARKS))).strip()


def quote_in_text(quote, text):
    """Return True when the quote appears in the text, ignoring only folded differences."""
    folded = fold(quote)
    return bool(folded) and folded in fold(text)


def locate(quote, text):
    """Return (start, end) of the quote in the unfolded text, or None when it is not there."""
    folded, origin = [], []
    for index, char in enumerate(text):
        char = _DASHES.sub("-", char.translate(_QUOTE_MARKS))
        if char.isspace():
            if folded and folded[-1] == " ":
                continue
            char = " "
        folded.append(char)
        origin.append(index)
    needle = fold(quote)
    start = "".join(folded).find(needle) if needle else -1
    if start < 0:
        return None
    return origin[start], origin[start + len(needle) - 1] + 1


def text_quote_selector(quote, text, context=32):
    """Return a W3C Web Annotation TextQuoteSelector for the quote as it stands in the text."""
    found = locate(quote, text)
    if found is None:
        return None
    start, end = found
    return {
        "type": "TextQuoteSelector",
        "exact": text[start:end],
        "prefix": text[max(0, start - context) : start],
        "suffix": text[end : end + context],
    }
