"""Turn what a reader typed into concepts to search for: each concept is a set of equivalent phrases.

Pure: the synonym groups, the intents and the vocabulary near the typed words come in as
arguments (the engine fetches them in one query). Steps: clean and cap the text; find the
intents its phrases meet (intents.py); match synonym phrases, longest first; drop question
phrases, stop words and words for people ("my father"); add the other spelling (US ↔ UK);
correct a word the index does not know to the nearest one it does, unless it is an English
word ("scam" is not a typo of "scan"). Words inside an intent's phrase are optional: they lift
the intent's sections instead of being words every page must hold.
"""

from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from carnk_site.search import intents as intent_map
from carnk_site.search.text import (
    DROPPED,
    PART,
    QUESTION_PHRASES,
    STOP_WORDS,
    allowed_typos,
    edit_distance,
    english_words,
    fold,
    normalise,
    parts,
    spelling_variants,
)

MAX_WORDS = 12
QUESTIONS = sorted((tuple(q.split()) for q in QUESTION_PHRASES), key=len, reverse=True)


@dataclass
class Concept:
    typed: str
    phrases: list
    synonym: bool = False
    optional: bool = False  # inside an intent's phrase: searched for only when nothing else is


@dataclass
class Plan:
    query: str
    cut: bool = False
    concepts: list = field(default_factory=list)
    corrections: dict = field(default_factory=dict)
    unknown: list = field(default_factory=list)  # words as typed that no page holds, nor anything near them
    intents: list = field(default_factory=list)  # intents.Intent met by the query, in order

    @property
    def required(self):
        """Return the concepts every page must hold: the optional ones only when there is nothing else."""
        required = [c.phrases for c in self.concepts if c.phrases and not c.optional]
        return required or ([] if self.intents else [c.phrases for c in self.concepts if c.phrases])

    @property
    def fallback(self):
        """Return the optional concepts, searched for after the intents' sections when nothing else is asked."""
        if any(c.phrases and not c.optional for c in self.concepts):
            return []
        return [c.phrases for c in self.concepts if c.phrases]

    @property
    def corrected_query(self):
        """Return the query with each corrected word replaced, or '' when nothing was corrected."""
        if not self.corrections:
            return ""
        return " ".join(self.corrections.get(fold(word), word) for word in self.query.split())


def typed_parts(query):
    """Return the query's word parts as typed, at most MAX_WORDS of them."""
    return PART.findall(query)[:MAX_WORDS]


def lookup_words(query):
    """Return the folded words worth looking up in the vocabulary: it holds words of letters only."""
    folded = (fold(p) for p in typed_parts(query))
    return list(dict.fromkeys(w for w in folded if len(w) >= 2 and w.isalpha() and w not in DROPPED))


class Synonyms:
    """Synonym groups indexed by their phrases' folded word parts."""

    def __init__(self, lines):
        self.entries = {}
        for line in lines:
            phrases = [p.strip() for p in line.split(",") if p.strip()]
            folded = list(dict.fromkeys(fold(p) for p in phrases))
            for phrase in phrases:
                key = tuple(parts(phrase))
                if not key:
                    continue
                caps = tuple(PART.findall(phrase)) if _capitals_only(phrase) else None
                self.entries.setdefault(key, []).append((caps, folded))
        self.longest = max((len(k) for k in self.entries), default=0)

    def match(self, typed, folded, start):
        """Return (length, phrases) of the longest group phrase starting at `start`, or (0, None)."""
        for length in range(min(self.longest, len(folded) - start), 0, -1):
            key = tuple(folded[start : start + length])
            for caps, _phrases in self.entries.get(key, ()):
                if caps is None or tuple(typed[start : start + length]) == caps:
                    return length, self._union(key, typed[start : start + length])
        return 0, None

    def _union(self, key, typed):
        found = []
        for caps, phrases in self.entries[key]:
            if caps is None or tuple(typed) == caps:
                found += phrases
        return list(dict.fromkeys(found))

    @cached_property
    def words(self):
        """Return the single words of every group, for typo correction."""
        return frozenset(key[0] for key in self.entries if len(key) == 1)


@lru_cache(maxsize=4)
def parsed_synonyms(lines):
    """Return the groups parsed, kept while they are unchanged (every search reads them)."""
    return Synonyms(lines)


def _capitals_only(phrase):
    """Names in capitals (ALL, OS, CAR) only match in capitals: 'all' is not acute lymphoblastic leukaemia."""
    letters = [ch for ch in phrase if ch.isalpha()]
    return len(PART.findall(phrase)) == 1 and len(letters) <= 5 and all(ch.isupper() for ch in letters)


def plan(query, synonym_lines=(), near=None, intent_rows=(), as_typed=False):
    """Return the search plan for a query, given the synonym groups, the intents and the vocabulary near each word.

    `as_typed`: correct no typos (the reader asked for the words as typed).
    """
    cleaned, cut = normalise(query)
    result = Plan(query=cleaned, cut=cut)
    synonyms = parsed_synonyms(tuple(synonym_lines))
    typed = typed_parts(cleaned)
    folded = [fold(p) for p in typed]
    met = intent_map.match(intent_map.parsed(tuple(intent_rows)), folded)
    result.intents = list(dict.fromkeys(m.intent for m in met))
    covered = {i for m in met for i in range(m.start, m.start + m.length)}
    i = 0
    while i < len(folded):
        length, phrases = synonyms.match(typed, folded, i)
        if length:
            optional = all(j in covered for j in range(i, i + length))
            result.concepts.append(
                Concept(" ".join(typed[i : i + length]), _with_spellings(phrases), synonym=True, optional=optional)
            )
            i += length
            continue
        question = next((q for q in QUESTIONS if tuple(folded[i : i + len(q)]) == q), None)
        if question:
            i += len(question)
            continue
        word = folded[i]
        i += 1
        if word in DROPPED or (len(word) < 2 and not word.isdigit()):
            continue
        if i - 1 in covered:
            result.concepts.append(Concept(typed[i - 1], [word, *spelling_variants(word)], optional=True))
            continue
        result.concepts.append(_word_concept(word, typed[i - 1], synonyms, near or {}, result, as_typed))
    result.concepts = _distinct(result.concepts)
    return result


def _word_concept(word, typed, synonyms, near, result, as_typed=False):
    candidates = near.get(word)
    known = {w for w, _n in candidates or ()}
    variants = (word, *spelling_variants(word))
    if candidates is None or any(v in known for v in variants) or not word.isalpha():
        return Concept(typed, list(variants))
    longer = _longer_forms(word, known)
    if longer:
        return Concept(typed, [*variants, *longer])
    if _inflects_a_known_word(word, known):
        return Concept(typed, list(variants))
    if as_typed or word in english_words():  # a real word, not a typo: never made into another question
        result.unknown.append(typed)
        return Concept(typed, list(variants))
    correction = _nearest(word, candidates, synonyms.words)
    if correction is None:
        result.unknown.append(typed)
        return Concept(typed, list(variants))
    result.corrections[word] = correction
    length, phrases = synonyms.match([correction], [correction], 0)
    if length:
        return Concept(typed, _with_spellings(phrases), synonym=True)
    return Concept(typed, [correction, *spelling_variants(correction)])


def _longer_forms(word, known):
    """Return known words that extend an unknown one by a letter or two ('safe' → 'safer', 'safety').

    Stemmers keep those apart; a reader who types the short form means them, not a typo ('same').
    """
    if len(word) < 4:
        return []
    return sorted(w for w in known if w.startswith(word) and 0 < len(w) - len(word) <= 2)


INFLECTIONS = ("s", "es", "ed", "d", "ing", "er", "ers", "ly")


def _inflects_a_known_word(word, known):
    """Return True when the word is a known word plus an ending ('covered' → 'cover').

    Not a typo: both engines stem words, so the word as typed finds the pages; "Did you mean
    cover" would only make the reader's question worse.
    """
    return any(
        word.endswith(ending) and word[: -len(ending)] in known for ending in INFLECTIONS if len(word) > len(ending) + 2
    )


def _nearest(word, candidates, synonym_words):
    """Return the closest known word within the allowed number of typos (more frequent first), or None."""
    limit = allowed_typos(word)
    if not limit:
        return None
    pool = dict(candidates)
    for other in synonym_words:
        if _near_spelling(other, word):
            pool.setdefault(other, 0)
    scored = []
    for candidate, documents in pool.items():
        distance = edit_distance(word, candidate, limit)
        if distance <= limit:
            scored.append((distance, -documents, candidate))
    return min(scored)[2] if scored else None


def _near_spelling(other, word):
    """Return True when a word may be a typo of another: the engines narrow the vocabulary the same way."""
    return abs(len(other) - len(word)) <= 2 and (other[:1] == word[:1] or other[1:3] == word[1:3])


def _with_spellings(phrases):
    found = []
    for phrase in phrases:
        found.append(phrase)
        words = phrase.split()
        for i, word in enumerate(words):
            for variant in spelling_variants(word):
                found.append(" ".join(words[:i] + [variant] + words[i + 1 :]))
    return [p for p in dict.fromkeys(found) if any(w not in STOP_WORDS for w in parts(p))]


def _distinct(concepts):
    seen, kept = set(), []
    for concept in concepts:
        key = frozenset(concept.phrases)
        if key not in seen:
            seen.add(key)
            kept.append(concept)
    return kept
