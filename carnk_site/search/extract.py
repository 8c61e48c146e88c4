"""Cut stored article HTML into plain-text sections, one per heading, for the search index.

Pure: reads the HTML that rendering.py stored, imports no models. Evidence tags (labels and
source names after each claim) and the page's own table of contents ("On this page") are left
out: they are the same on every page, or repeat the headings, and are not what a reader
searches for. A heading with no text of its own before its subheadings gets their names as its
text, so a result landing on it says what the section holds.
"""

import json
import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser

from carnk_site.search.text import UNWANTED, clean

SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([.,;:!?)\]])")
BREAK = "\x1e"  # a block boundary in a section's segments: a sentence never runs across one
SENTENCE_BREAK = re.compile(r"[\s\x1e]*\x1e[\s\x1e]*|(?<=[.!?])\s+(?=[\"“‘(\[]?[A-Z0-9])")
VOID = {"br", "img", "hr", "wbr", "input", "source"}
HEADINGS = {"h2", "h3", "h4"}
BLOCKS = {"p", "li", "td", "th", "tr", "ul", "ol", "table", "blockquote", "div", "br", "dd", "dt"} | HEADINGS


@dataclass
class Section:
    heading: str = ""
    anchor: str = ""
    chunks: list = field(default_factory=list)
    level: int = 1
    segments: list = field(default_factory=list)  # (text, the claim it states or ''), BREAK between blocks

    @property
    def text(self):
        return tidy(" ".join(self.chunks))

    @property
    def sentences(self):
        """Return [sentence, claim slug or ''] pairs: the claim is the first one the sentence states."""
        text, claims = "", []
        for piece, slug in self.segments:
            if slug and piece.strip():
                claims.append((len(text), len(text) + len(piece), slug))
            text += piece
        # Control characters to spaces (never BREAK, which the breaks below need), once for the whole text.
        unwanted = {ord(ch): " " for ch in set(text) - {BREAK} if unicodedata.category(ch) in UNWANTED}
        text = text.translate(unwanted)
        found, start = [], 0
        for end, next_start in [(m.start(), m.end()) for m in SENTENCE_BREAK.finditer(text)] + [(len(text), 0)]:
            sentence = SPACE_BEFORE_PUNCTUATION.sub(r"\1", " ".join(text[start:end].split()))
            if sentence:
                claim = next((slug for s, e, slug in claims if s < end and e > start), "")
                found.append([sentence, claim])
            start = next_start
        return found


class _SectionParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.sections = [Section()]
        self.skip_depth = 0
        self.heading = None
        self.depth = 0
        self.claims = []  # (depth, slug) of the claim elements open here

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag not in VOID:
            self.depth += 1
            if attrs.get("data-claim") and not self.skip_depth:
                self.claims.append((self.depth, attrs["data-claim"]))
        if self.skip_depth:
            self.skip_depth += tag not in ("br", "img", "hr")
            return
        classes = (attrs.get("class") or "").split()
        if (tag == "span" and "evidence" in classes) or (tag == "nav" and "on-this-page" in classes):
            self.skip_depth = 1
        elif tag in HEADINGS and attrs.get("id"):
            self.heading = Section(anchor=attrs["id"], level=int(tag[1]))
            self.sections.append(self.heading)
        elif tag in BLOCKS:
            self.sections[-1].chunks.append(" ")
            self.sections[-1].segments.append((BREAK, ""))

    def handle_endtag(self, tag):
        if tag not in VOID:
            if self.claims and self.claims[-1][0] == self.depth:
                self.claims.pop()
            self.depth = max(0, self.depth - 1)
        if self.skip_depth:
            self.skip_depth -= 1
            return
        if tag in HEADINGS and self.heading is not None:
            self.heading.heading = tidy(" ".join(self.heading.chunks))
            self.heading.chunks = []
            self.heading = None
        elif tag in BLOCKS:
            self.sections[-1].chunks.append(" ")
            self.sections[-1].segments.append((BREAK, ""))

    def handle_data(self, data):
        if not self.skip_depth:
            self.sections[-1].chunks.append(data)
            if self.heading is None:
                self.sections[-1].segments.append((data, self.claims[-1][1] if self.claims else ""))


def tidy(text):
    """Return text with whitespace collapsed and no space before punctuation (claim spans leave one)."""
    return SPACE_BEFORE_PUNCTUATION.sub(r"\1", clean(text))


def sections(html):
    """Return the sections of an HTML fragment: the text before the first heading, then one per heading with an id."""
    parser = _SectionParser()
    parser.feed(html or "")
    parser.close()
    found = parser.sections
    for i, section in enumerate(found):
        if section.anchor and not section.text:
            section.chunks = [_subheadings(section, found[i + 1 :])]
            section.segments = [(section.chunks[0], "")]
    return found


def sentences_json(section, claim_ids):
    """Return a section's sentences as stored in the index: JSON [sentence, claim id or 0], so a row's values
    compare as text, and a result finds each claim by the index on its id."""
    if not section.segments:
        return ""
    return json.dumps([[text, claim_ids.get(slug, 0)] for text, slug in section.sentences], ensure_ascii=False)


def _subheadings(section, following):
    """Return the names of the subsections under a heading, as a sentence-like list."""
    names = []
    for other in following:
        if other.level <= section.level:
            break
        names.append(other.heading)
    return " · ".join(names)


def plain_text(html):
    """Return the visible text of an HTML fragment, evidence tags left out."""
    return tidy(" ".join(section.heading + " " + section.text for section in sections(html)))
