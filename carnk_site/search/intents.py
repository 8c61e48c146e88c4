"""What a question is about, beyond its words: the intent map editors keep, read and matched here.

Pure: the intents come in as (name, phrases, sections) text, as the engine reads them with the
synonyms. A phrase is matched on the query's folded word parts, side by side; a word written as
a number range in square brackets ("[60-110]") matches any whole number in it, so "he is 78"
meets the age intent. A section is "article-slug#heading-anchor" (or the slug alone: the
article's opening), resolved against the index at query time, so a heading renamed later only
stops that one boost (the admin lists the sections that no longer exist).
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from carnk_site.core.validation import ID_PATTERN
from carnk_site.search.text import parts

RANGE = re.compile(r"^\[(\d{1,4})-(\d{1,4})\]$")
SECTION = re.compile(rf"^(?P<slug>{ID_PATTERN.pattern})(?:#(?P<anchor>[a-z0-9][a-z0-9_-]*))?$")
MAX_LINES = 200
MAX_LINE_LENGTH = 200


@dataclass(frozen=True)
class Intent:
    name: str
    phrases: tuple  # each a tuple of folded words or (low, high) number ranges
    sections: tuple  # each (slug, anchor); anchor '' for the article's opening


@dataclass(frozen=True)
class Match:
    intent: Intent
    start: int
    length: int


def lines(text):
    """Return the text's non-blank lines, stripped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def parse_phrase(line):
    """Return a phrase as a tuple of folded words and number ranges, or raise ValueError naming the problem."""
    words = []
    for token in line.split():
        number_range = RANGE.match(token)
        if number_range:
            low, high = int(number_range[1]), int(number_range[2])
            if low > high:
                raise ValueError(f"“{token}”: the first number must not be larger than the second.")
            words.append((low, high))
        elif "[" in token or "]" in token:
            raise ValueError(f"“{token}”: a number range is written like [60-110].")
        else:
            words += parts(token)
    if not words:
        raise ValueError(f"“{line}” has no words to match.")
    return tuple(words)


def parse_section(line):
    """Return (slug, anchor) of a section line, or raise ValueError naming the problem."""
    found = SECTION.match(line.strip())
    if not found:
        raise ValueError(
            f"“{line}” is not a section: write the article's id, then # and the heading's anchor, "
            "e.g. taking-part-in-a-trial#what-it-may-cost."
        )
    return found["slug"], found["anchor"] or ""


def problems(phrases, sections):
    """Return the errors in an intent's phrases and sections as {field: [messages]}: the one set of rules."""
    found = {}
    for field, text, parse in (("phrases", phrases, parse_phrase), ("sections", sections, parse_section)):
        found_lines = lines(text)
        messages = []
        if not found_lines:
            messages.append("Write at least one line.")
        if len(found_lines) > MAX_LINES:
            messages.append(f"At most {MAX_LINES} lines.")
        for line in found_lines:
            if len(line) > MAX_LINE_LENGTH:
                messages.append(f"“{line[:40]}…” is longer than {MAX_LINE_LENGTH} characters.")
                continue
            try:
                parse(line)
            except ValueError as error:
                messages.append(str(error))
        if messages:
            found[field] = messages
    return found


@dataclass(frozen=True)
class IntentMap:
    """The intents, with their phrases indexed by first word: a query looks up only the phrases it can start."""

    intents: tuple
    by_first_word: dict  # folded word -> [(intent, phrase)]
    by_number: tuple  # (intent, phrase) whose first word is a number range


@lru_cache(maxsize=4)
def parsed(rows):
    """Return the IntentMap of (name, phrases, sections) rows; a line that does not parse is skipped."""
    intents = []
    for name, phrase_text, section_text in rows:
        phrases, sections = [], []
        for line in lines(phrase_text):
            try:
                phrases.append(parse_phrase(line))
            except ValueError:
                continue
        for line in lines(section_text):
            try:
                sections.append(parse_section(line))
            except ValueError:
                continue
        if phrases and sections:
            intents.append(Intent(name, tuple(dict.fromkeys(phrases)), tuple(dict.fromkeys(sections))))
    by_first_word, by_number = {}, []
    for intent in intents:
        for phrase in intent.phrases:
            if isinstance(phrase[0], tuple):
                by_number.append((intent, phrase))
            else:
                by_first_word.setdefault(phrase[0], []).append((intent, phrase))
    return IntentMap(tuple(intents), by_first_word, tuple(by_number))


def _word_matches(pattern, word):
    if isinstance(pattern, tuple):
        return word.isdigit() and len(word) <= 4 and pattern[0] <= int(word) <= pattern[1]
    return pattern == word


def match(intent_map, folded):
    """Return the intents met in the folded query words: at each place the longest phrase, none overlapping."""
    found, i = [], 0
    while i < len(folded):
        best = None
        candidates = intent_map.by_first_word.get(folded[i], [])
        if folded[i].isdigit():
            candidates = [*candidates, *intent_map.by_number]
        for intent, phrase in candidates:
            n = len(phrase)
            if n > len(folded) - i or (best and n <= best.length):
                continue
            if all(_word_matches(p, w) for p, w in zip(phrase, folded[i : i + n], strict=True)):
                best = Match(intent, i, n)
        if best:
            found.append(best)
            i += best.length
        else:
            i += 1
    return found
