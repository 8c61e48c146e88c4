"""Text made fit for XML 1.0, which forbids most control characters even when escaped.

Editors paste from word processors, which leave vertical tabs (\\x0b) and form feeds (\\x0c) in titles
and notes. HTML and JSON carry them harmlessly, but one in an XML document makes it unreadable, and
Django's feed writer refuses to write it at all. Whatever writes XML passes its text through here.
"""

import re

# XML 1.0 allows tab, line feed and carriage return, then U+0020 up, except the surrogates and U+FFFE/U+FFFF.
FORBIDDEN_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text):
    """Return text with the characters XML 1.0 forbids replaced by spaces (a form feed was a break, not nothing)."""
    if not isinstance(text, str):
        return text
    return FORBIDDEN_IN_XML.sub(" ", text)
