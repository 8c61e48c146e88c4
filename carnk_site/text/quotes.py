"""Decide whether a quoted passage appears verbatim in a source's text."""

import bisect
import re

_QUOTE_MARKS = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
_DASHES = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2212]")
_SPACE = re.compile(r"\s+")
_RUN = re.compile(r"\s\s+")
# The same replacements as `fold`, one character for one: quote marks and dashes, positions unchanged.
_ONE_FOR_ONE = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'}
    | dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2212", "-")
)


def fold(text):
    """Fold whitespace, curly quote marks and dashes, and nothing else."""
    return _SPACE.sub(" ", _DASHES.sub("-", text.translate(_QUOTE_MARKS))).strip()


def quote_in_text(quote, text):
    """Return True when the quote appears in the text, ignoring only folded differences."""
    folded = fold(quote)
    return bool(folded) and folded in fold(text)


class FoldedText:
    """A source's text folded once, so that many quotes are located in it at the cost of a search each.

    Quote marks and dashes fold one character for one and a lone whitespace character to a space,
    so positions move only at runs of two or more whitespace characters (paragraph breaks): only
    those are remembered, and the folding itself is done by `str.translate` and `re.sub`, in C.
    """

    def __init__(self, text):
        self.text = text
        prepared = text.translate(_ONE_FOR_ONE)
        self.folded = _SPACE.sub(" ", prepared)
        self._runs, self._origins, self._shifts = [], [], []  # each run's folded position, its start, removed so far
        removed = 0
        for run in _RUN.finditer(prepared):
            start, end = run.span()
            self._runs.append(start - removed)
            self._origins.append(start)
            removed += end - start - 1
            self._shifts.append(removed)

    def locate(self, quote):
        """Return (start, end) of the quote in the unfolded text, or None when it is not there."""
        needle = fold(quote)
        start = self.folded.find(needle) if needle else -1
        if start < 0:
            return None
        return self._origin(start), self._origin(start + len(needle) - 1) + 1

    def _origin(self, position):
        """Return the position in the text of the folded text's character at `position`."""
        run = bisect.bisect_right(self._runs, position) - 1
        if run < 0:
            return position
        return self._origins[run] if position == self._runs[run] else position + self._shifts[run]

    def selector(self, quote, context=32):
        """Return a W3C Web Annotation TextQuoteSelector for the quote as it stands in the text."""
        found = self.locate(quote)
        if found is None:
            return None
        start, end = found
        return {
            "type": "TextQuoteSelector",
            "exact": self.text[start:end],
            "prefix": self.text[max(0, start - context) : start],
            "suffix": self.text[end : end + context],
        }
