"""A word-level difference between two texts, for a reviewer comparing a change with the live page."""

import difflib
import re

_TOKENS = re.compile(r"\s+|[^\s]+")


def word_diff(old, new):
    """Return [(op, text)] turning `old` into `new`, op being "same", "removed" or "added".

    Words and the spaces between them are the units, so a changed word shows as that word, and
    line breaks are normalised first (a browser's CRLF, or a final line break, is not a change).
    """
    before = _TOKENS.findall((old or "").replace("\r\n", "\n").strip())
    after = _TOKENS.findall((new or "").replace("\r\n", "\n").strip())
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(("same", "".join(before[i1:i2])))
            continue
        if i2 > i1:
            parts.append(("removed", "".join(before[i1:i2])))
        if j2 > j1:
            parts.append(("added", "".join(after[j1:j2])))
    return parts


def changed(parts):
    """Return True if the difference holds any removed or added text."""
    return any(op != "same" for op, _ in parts)
