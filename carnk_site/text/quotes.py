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


class FoldedText:
    """A source's text folded once, so that many quotes are located in it at the cost of a search each."""

    def __init__(self, text):
        self.text = text
        folded, self.origin = [], []
        for index, char in enumerate(text):
            char = _DASHES.sub("-", char.translate(_QUOTE_MARKS))
            if char.isspace():
                if folded and folded[-1] == " ":
                    continue
                char = " "
            folded.append(char)
            self.origin.append(index)
        self.folded = "".join(folded)

    def locate(self, quote):
        """Return (start, end) of the quote in the unfolded text, or None when it is not there."""
        needle = fold(quote)
        start = self.folded.find(needle) if needle else -1
        if start < 0:
            return None
        return self.origin[start], self.origin[start + len(needle) - 1] + 1

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
