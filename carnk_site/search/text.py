"""Pure text helpers shared by the index and the query: cleaning, words, spellings, edit distance.

No models here: the index and the query pipeline must cut text into words the same way.
"""

import gzip
import re
import unicodedata
from functools import cache
from pathlib import Path

MAX_QUERY_LENGTH = 100

WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
PART = re.compile(r"[^\W_]+")

# Question words and stop words a reader types around what they want. Phrases go first, so
# "does it work for" drops as a whole while "works" alone stays ("How CAR-NK works").
QUESTION_PHRASES = (
    "does it work for",
    "does it work",
    "will it work",
    "can it work",
    "is it",
    "is there",
    "are there",
    "what is",
    "what are",
    "tell me about",
)
STOP_WORDS = frozenset(
    """a about after all also am an and any are as at be been before being but by can could did do does doing
    for from get got had has have having he her his how i if in into is it its just me might more most much must my
    of on or our please she should so some such than that the their them then there these they this those to
    too us very was we were what when where which while who whom whose why will with would you your""".split()
)

# Who a question is for: "my father", "can my wife". They say nothing about what the pages must hold.
PERSON_WORDS = frozenset(
    """father dad daddy mother mum mom mummy mommy husband wife son daughter brother sister partner child children
    kid kids boyfriend girlfriend aunt uncle niece nephew friend someone somebody patient relative""".split()
)
DROPPED = STOP_WORDS | PERSON_WORDS

# Spelling pairs (US, UK), matched at the start of a word so endings still vary: "tumors" ↔ "tumours".
SPELLINGS = (
    ("leukem", "leukaem"),
    ("hematolog", "haematolog"),
    ("hematopoie", "haematopoie"),
    ("hemoglob", "haemoglob"),
    ("hemorrh", "haemorrh"),
    ("anemi", "anaemi"),
    ("tumor", "tumour"),
    ("esophag", "oesophag"),
    ("gastroesophag", "gastrooesophag"),
    ("edema", "oedema"),
    ("pediatric", "paediatric"),
    ("randomiz", "randomis"),
    ("humaniz", "humanis"),
    ("metastasiz", "metastasis"),
    ("organiz", "organis"),
    ("recogniz", "recognis"),
    ("minimiz", "minimis"),
    ("specializ", "specialis"),
    ("characteriz", "characteris"),
    ("standardiz", "standardis"),
    ("hospitaliz", "hospitalis"),
    ("immuniz", "immunis"),
    ("utiliz", "utilis"),
    ("favor", "favour"),
    ("behavior", "behaviour"),
    ("center", "centre"),
    ("fiber", "fibre"),
    ("program", "programme"),
    ("analyz", "analys"),
    ("catalog", "catalogue"),
    ("estrogen", "oestrogen"),
    ("fetus", "foetus"),
    ("labor", "labour"),
)


UNWANTED = ("Cc", "Cf", "Cs", "Co", "Cn")  # control, format, surrogate, private-use and unassigned characters


def clean(text):
    """Return the text without control or format characters, whitespace collapsed."""
    text = text or ""
    # Look each distinct character up once: the index cleans every text of the library.
    unwanted = {ord(ch): " " for ch in set(text) if unicodedata.category(ch) in UNWANTED}
    return " ".join(text.translate(unwanted).split())


def normalise(query):
    """Return (cleaned query cut to MAX_QUERY_LENGTH, whether it was cut)."""
    cleaned = clean(query)
    if len(cleaned) <= MAX_QUERY_LENGTH:
        return cleaned, False
    return cleaned[:MAX_QUERY_LENGTH].rsplit(" ", 1)[0].strip() or cleaned[:MAX_QUERY_LENGTH], True


def fold(word):
    """Return a word lower-cased, accents removed and curly apostrophes straightened."""
    if word.isascii():  # nothing to decompose or straighten
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word.replace("’", "'"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def words(text):
    """Return the words of a text as typed (hyphenated words whole), in order."""
    return WORD.findall(text)


def parts(text):
    """Return the folded word parts of a text: hyphens and apostrophes split, as both engines do."""
    return [fold(part) for part in PART.findall(text)]


def vocabulary_words(text):
    """Return the folded words worth suggesting from a text: letters only, at least three of them."""
    return [w for w in parts(text) if len(w) >= 3 and w.isalpha()]


def spelling_variants(word):
    """Return the other spelling of a folded word (US ↔ UK), or an empty tuple."""
    found = []
    for us, uk in SPELLINGS:
        if word.startswith(uk):
            found.append(us + word[len(uk) :])
        elif word.startswith(us) and not word.startswith(uk):
            found.append(uk + word[len(us) :])
    return tuple(dict.fromkeys(v for v in found if v != word))


def edit_distance(a, b, limit=3):
    """Return the Damerau-Levenshtein (adjacent swaps) distance of two words, or limit+1 when above it."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def allowed_typos(word):
    """Return how many edits a word of this length may be away from a correction."""
    return 0 if len(word) < 4 else 1 if len(word) < 7 else 2


ENGLISH_WORDS_FILE = Path(__file__).parent / "data" / "english-words.txt.gz"


@cache
def english_words():
    """Return the English word list (four letters or more): words typo correction must never replace.

    Read once per process, on the first word the index does not know: "scam" is not a typo of "scan".
    """
    with gzip.open(ENGLISH_WORDS_FILE, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))
