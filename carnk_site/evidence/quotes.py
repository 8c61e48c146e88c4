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
