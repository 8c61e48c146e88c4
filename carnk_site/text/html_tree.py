"""A small tree of the HTML render() stores, for the editorial checks to walk.

The checks read every article of an import, and building BeautifulSoup's tree of each one cost
more than all the checking done on it. This tree is built by the rules of BeautifulSoup's
html.parser tree, which is what the checks were written against: a start tag opens an element
(a void element such as <br> closes at once), an end tag closes the latest open element of its
name (or nothing), and the text between two tags is one string with its character references
decoded. Pure: no models, no Django.
"""

import re
from html import unescape
from html.parser import HTMLParser

#: Elements with no end tag, as BeautifulSoup lists them (of these, render() allows only br, hr and img).
VOID = frozenset(
    "area base basefont bgsound br col command embed frame hr image img input isindex keygen link menuitem meta "
    "nextid param source spacer track wbr".split()
)


class Element:
    """One HTML element: its tag, attributes (a value-less attribute holds ""), and children, elements or strings."""

    __slots__ = ("tag", "attrs", "children", "parent")

    def __init__(self, tag, attrs, parent=None):
        self.tag, self.attrs, self.children, self.parent = tag, attrs, [], parent

    def has_class(self, name):
        return name in (self.attrs.get("class") or "").split()

    def lineage(self):
        """Yield this element and each element it is inside, nearest first."""
        element = self
        while element is not None:
            yield element
            element = element.parent

    def walk(self, skip=None):
        """Yield every element and string inside this one in document order, leaving out what `skip` picks and all inside it."""
        stack = [iter(self.children)]
        while stack:
            for node in stack[-1]:
                if isinstance(node, str):
                    yield node
                elif skip is None or not skip(node):
                    yield node
                    stack.append(iter(node.children))
                    break
            else:
                stack.pop()

    def elements(self, tags, skip=None):
        return [node for node in self.walk(skip) if not isinstance(node, str) and node.tag in tags]

    def strings(self, skip=None):
        return [node for node in self.walk(skip) if isinstance(node, str)]

    def text(self, skip=None):
        """Return the text inside, one space between words (BeautifulSoup's `get_text(" ")`, whitespace collapsed)."""
        return " ".join(word for string in self.strings(skip) for word in string.split())


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Element("[document]", {})
        self.data = []

    def _end_data(self):
        if self.data:
            self.current.children.append("".join(self.data))
            self.data = []

    def _add(self, tag, attrs):
        self._end_data()
        element = Element(tag, {name: value or "" for name, value in attrs}, self.current)
        self.current.children.append(element)
        return element

    def handle_starttag(self, tag, attrs):
        element = self._add(tag, attrs)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self._add(tag, attrs)

    def handle_endtag(self, tag):
        self._end_data()
        for element in self.current.lineage():
            if element.parent is None:
                return  # nothing of that name is open: ignored
            if element.tag == tag:
                self.current = element.parent
                return

    def handle_data(self, data):
        self.data.append(data)


def parse(html):
    """Return the root of the tree of an HTML fragment."""
    builder = _Builder()
    if not _read_sanitised(builder, html):
        builder = _Builder()
        builder.feed(html)
        builder.close()
    builder._end_data()
    return builder.root


# What the sanitiser writes: text with "<" escaped, start tags with double-quoted attributes, end tags.
_SANITISED = re.compile(r'([^<]+)|<([a-z][a-z0-9]*)((?: [a-z][a-z0-9-]*="[^"]*")*)>|</([a-z][a-z0-9]*)>')
_ATTRIBUTE = re.compile(r' ([a-z][a-z0-9-]*)="([^"]*)"')


def _read_sanitised(builder, html):
    """Feed the builder HTML written in the sanitiser's form, as html.parser would; return False at anything else.

    A third of the cost of html.parser, which then reads whatever this declines (comments, scripts, odd spacing).
    """
    at = 0
    for match in _SANITISED.finditer(html):
        if match.start() != at:
            return False
        at = match.end()
        text, tag, attributes, end = match.groups()
        if text is not None:
            builder.handle_data(unescape(text))
        elif tag in HTMLParser.CDATA_CONTENT_ELEMENTS:
            return False  # html.parser reads their content as text
        elif tag is not None:
            builder.handle_starttag(tag, [(name, unescape(value)) for name, value in _ATTRIBUTE.findall(attributes)])
        else:
            builder.handle_endtag(end)
    return at == len(html)
