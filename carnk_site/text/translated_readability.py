"""A readability check suited to Chinese and Hindi translations, where the English grade formula means nothing.

Flesch-Kincaid counts English syllables; no maintained formula for Simplified Chinese or Hindi is
packaged for Python (Chinese formulas need word segmentation and graded character lists, Hindi ones
are research prototypes), so we check two things that can be counted honestly in each language:

- **Nothing dropped:** a translation has at least MIN_SENTENCE_RATIO of its English's sentences.
  Machine-helped drafts lose sentences more often than they add them.
- **Short sentences:** the average sentence is at most MAX_AVERAGE[language] units long: Chinese
  characters (Chinese is written without spaces between words) or Hindi words. The limit is what an
  English average of 20 words a sentence (the top of plain-language guidance) becomes: our shipped
  translations run to 1.75 Chinese characters and 1.25 Hindi words per English word (postpositions
  such as का, के, में are words of their own). The English they translate averages about 11.

The count works on the Markdown the editor wrote: links keep their words, figures and headings'
markers go, and each heading, list item and line ends a sentence, as the reader sees it.
"""

import re
from dataclasses import dataclass

MIN_SENTENCE_RATIO = 0.9
#: Average sentence length allowed, in the unit of each language (see UNITS).
MAX_AVERAGE = {"zh-hans": 35, "hi": 25}
UNITS = {"zh-hans": "characters", "hi": "words"}

_FIGURE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKERS = re.compile(r"^[ \t]*(?:#{1,6}[ \t]+|[-*+][ \t]+|\d{1,9}[.)][ \t]+)", re.M)
_EMPHASIS = re.compile(r"\*\*|__|`")
# A sentence ends at 。！？ (Chinese, wherever it stands), at । (Hindi danda), or at . ! ? before a space.
_SENTENCE_END = re.compile(r"(?<=[。！？!?])[”’」』）)]*|(?<=।)|(?<=[.!?])[”’\"')]*(?=\s|$)")
_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]", re.M)
_CHINESE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[\w\u0900-\u097f]+(?:[-'’][\w\u0900-\u097f]+)*")


@dataclass(frozen=True)
class Finding:
    code: str
    message: str

    def __str__(self):
        return self.message


def plain_lines(markdown):
    """Return the lines a reader sees in Markdown: link words kept, figures and markers gone."""
    text = _FIGURE.sub("", markdown)
    text = _LINK.sub(r"\1", text)
    text = _EMPHASIS.sub("", _MARKERS.sub("", text))
    return [line.strip() for line in text.splitlines() if line.strip()]


def sentences(markdown):
    """Return the sentences of Markdown, in any of our languages."""
    found = []
    for line in plain_lines(markdown):
        found += [s.strip() for s in _SENTENCE_END.split(line) if s and _WORD.search(s)]
    return found


def length(sentence, language):
    """Return a sentence's length in its language's unit: Chinese characters (and Latin words), or words."""
    if language == "zh-hans":
        return len(_CHINESE.findall(sentence)) + len(_WORD.findall(_CHINESE.sub(" ", sentence)))
    return len(_WORD.findall(sentence))


def translation_findings(language, translated, english):
    """Compare a translation's Markdown with its English's; return the findings (empty when it reads well)."""
    ours, theirs = sentences(translated), sentences(english)
    findings = []
    if theirs and len(ours) < MIN_SENTENCE_RATIO * len(theirs):
        findings.append(
            Finding(
                "dropped",
                f"has {len(ours)} sentences where its English has {len(theirs)} (at least "
                f"{MIN_SENTENCE_RATIO:.0%} expected): check that nothing was left out",
            )
        )
    headings, english_headings = len(_HEADING.findall(translated)), len(_HEADING.findall(english))
    if headings != english_headings:
        findings.append(
            Finding(
                "sections",
                f"has {headings} headings where its English has {english_headings}: keep the English sections, in "
                "order, so links to a section (#warning-signs) open the same one in every language",
            )
        )
    limit = MAX_AVERAGE.get(language)
    if limit and ours:
        average = sum(length(s, language) for s in ours) / len(ours)
        if average > limit:
            findings.append(
                Finding(
                    "readability",
                    f"sentences average {average:.1f} {UNITS[language]}, above {limit}: split long sentences",
                )
            )
    return findings


def measure(language, translated, english):
    """Return (sentences in the translation, in the English, average length in the language's unit)."""
    ours = sentences(translated)
    average = sum(length(s, language) for s in ours) / len(ours) if ours else 0.0
    return len(ours), len(sentences(english)), round(average, 1)
