"""Words for the search index in Chinese and Hindi, which the database's English full-text engine cannot cut.

Chinese has no spaces and PostgreSQL no segmenter, so Chinese text is indexed and searched by
overlapping pairs of characters (bigrams): "免疫治疗" is 免疫 疫治 治疗, and a question holding
"免疫治疗" shares those pairs with every page that says it, whatever words surround it.
Hindi is indexed by a loose romanisation of each word (our own table below): readers type it in
Devanagari or in Latin letters as they say it ("dushprabhav", "car nk kya hai"), with vowel length
and aspiration as they please, so both sides drop what varies (long vowels, h of aspiration, the
short a that Hindi spelling leaves unwritten) and meet in the same plain letters.

Every token is written in ASCII letters and digits ending in a digit: the English parser (PostgreSQL)
and FTS5 keep such a token whole, whatever the database's locale, and neither stems it nor drops it
as an English stop word. Pure functions: the index and the query must tokenise alike.
"""

import re
import unicodedata

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
LATIN = re.compile(r"[A-Za-z0-9]+")
DEVANAGARI_WORD = re.compile(r"[\u0900-\u0963\u0966-\u097f]+")  # letters and signs; not the danda (।)
SENTENCE_END = re.compile(r"(?<=[。！？!?।])\s*|(?<=\.)\s+")

# Pairs in questions, not in answers: "什么" (what), "怎么" (how), "是否" (whether)...
CHINESE_STOP_PAIRS = frozenset(
    "什么 么是 是什 有什 为什 怎么 么样 怎样 哪些 哪里 是否 可以 吗 呢 我的 我们 请问 一下 如何 多少 能否".split()
)
CHINESE_STOP_CHARACTERS = frozenset("的了吗呢吧啊么是")  # particles, and "is"

INDEPENDENT_VOWELS = dict(zip("अआइईउऊऋएऐओऔऑ", "a aa i ii u uu ri e ai o au o".split(), strict=True))
VOWEL_SIGNS = dict(zip("ािीुूृेैोौॅॉ", "aa i ii u uu ri e ai o au e o".split(), strict=True))
CONSONANTS = dict(
    zip(
        "कखगघङचछजझञटठडढणतथदधनपफबभमयरलवशषसह",
        "k kh g gh n ch chh j jh n t th d dh n t th d dh n p ph b bh m y r l v sh sh s h".split(),
        strict=True,
    )
)
PRECOMPOSED = dict(zip("\u0958\u0959\u095a\u095b\u095c\u095d\u095e\u095f", "k kh g z r rh f y".split(), strict=True))
SIGNS = {"ं": "n", "ँ": "n", "ः": "h"}
VIRAMA, NUKTA = "्", "़"
DEVANAGARI_DIGITS = {ord(d): str(n) for n, d in enumerate("०१२३४५६७८९")}

# Loose romanisation: what people vary when they type Hindi in Latin letters, made the same.
LOOSE = (
    ("chh", "c"),
    ("ch", "c"),
    ("sh", "s"),
    ("kh", "k"),
    ("gh", "g"),
    ("jh", "j"),
    ("th", "t"),
    ("dh", "d"),
    ("ph", "p"),
    ("bh", "b"),
    ("rh", "r"),
    ("f", "p"),
    ("w", "v"),
    ("z", "j"),
    ("q", "k"),
    ("x", "ks"),
    ("ee", "i"),
    ("oo", "u"),
    ("ai", "e"),
    ("ei", "e"),
    ("au", "o"),
    ("ou", "o"),
    ("mb", "nb"),
    ("mp", "np"),
)
DOUBLED = re.compile(r"(.)\1+")

# Hindi words around a question ("kya hai", "kaise", "ke"), in either script: they say nothing a page must hold.
HINDI_STOP_WORDS = """kya hai hain ka ki ke ko se me mein mai main aur ya kaise kaun kyon kyun koi kuch yah ye
    vah vo is us par bhi to hi tha thi the ho hota hoti hote kar karna karte sakta sakti sakte
    क्या है हैं का की के को से में और या कैसे कौन क्यों कोई कुछ यह ये वह वो इस उस पर भी तो ही था थी थे हो होता होती होते
    कर करना करते सकता सकती सकते""".split()

# Words readers type for what the translations call otherwise: the formal Hindi word, the loan word the
# pages use, the English. A question holding one finds pages with any (each a phrase of its own).
SYNONYMS = {
    "hi": (
        ("साइड इफ़ेक्ट", "दुष्प्रभाव", "side effect", "side effects"),
        ("इलाज", "उपचार", "treatment"),
        ("संक्रमण", "इन्फ़ेक्शन", "infection"),
    ),
    "zh-hans": (("副作用", "不良反应"),),
}

ENGLISH_STOP_WORDS = frozenset(
    "a an and are can do does for how i in is it my of on or the to what when who why".split()
)


def romanise(word):
    """Return a Devanagari word in Latin letters (our table: "दुष्प्रभाव" → "dushprabhaava")."""
    out, pending = [], False  # pending: the last consonant still carries its inherent short a
    for ch in unicodedata.normalize("NFC", word).translate(DEVANAGARI_DIGITS):
        if ch in CONSONANTS or ch in PRECOMPOSED:
            if pending:
                out.append("a")
            out.append(CONSONANTS.get(ch) or PRECOMPOSED[ch])
            pending = True
        elif ch in VOWEL_SIGNS:
            out.append(VOWEL_SIGNS[ch])
            pending = False
        elif ch == VIRAMA:
            pending = False
        elif ch == NUKTA:
            continue
        else:
            if pending:
                out.append("a")
            pending = False
            out.append(INDEPENDENT_VOWELS.get(ch) or SIGNS.get(ch) or (ch if ch.isascii() else ""))
    return "".join(out)  # a final consonant's a is left unsaid, as Hindi says it


def loose(word):
    """Return the loose Latin form of a word typed in Latin letters: "dushprabhav" → "dusprbv"."""
    word = word.lower()
    for typed, same in LOOSE:
        word = word.replace(typed, same)
    word = DOUBLED.sub(r"\1", word)
    return word[:1] + word[1:].replace("a", "") if word else ""


def hindi_words(text):
    """Return (word as written, its loose form) for each word of Hindi text, Devanagari or Latin."""
    found = []
    for match in re.finditer(r"[\u0900-\u0963\u0966-\u097f]+|[A-Za-z0-9]+", text):
        written = match.group()
        form = loose(romanise(written) if DEVANAGARI_WORD.fullmatch(written) else written)
        if form:
            found.append((written, form))
    return found


HINDI_STOP_FORMS = frozenset(form for word in HINDI_STOP_WORDS for _w, form in hindi_words(word))


def chinese_pairs(run):
    """Return the overlapping character pairs of a run of Chinese characters (a single character alone)."""
    return [run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)]


def chinese_token(pair):
    return "z" + "".join(f"{ord(ch):x}" for ch in pair) + "0"


def hindi_token(form):
    return "h" + form + "0"


def latin_token(word):
    return "l" + word.lower() + "0"


def tokens(text, language):
    """Return the text as index tokens, in order: the same function cuts the pages and the questions."""
    found = []
    if language == "zh-hans":
        for match in re.finditer(f"{CJK.pattern}|{LATIN.pattern}", text):
            piece = match.group()
            if CJK.fullmatch(piece):
                found += [chinese_token(pair) for pair in chinese_pairs(piece)]
            else:
                found.append(latin_token(piece))
    elif language == "hi":
        found = [hindi_token(form) for _written, form in hindi_words(text)]
    return found


def index_text(text, language):
    """Return what the index stores for some text in `language`: its tokens, separated by spaces."""
    return " ".join(tokens(text, language))


def _query_units(query, language):
    """Return the question's tokens in order, each with whether it is a question word or particle."""
    units = []
    if language == "zh-hans":
        for match in re.finditer(f"{CJK.pattern}|{LATIN.pattern}", query):
            piece = match.group()
            if CJK.fullmatch(piece):
                units += [
                    (chinese_token(pair), pair in CHINESE_STOP_PAIRS or bool(set(pair) & CHINESE_STOP_CHARACTERS))
                    for pair in chinese_pairs(piece)
                ]
            else:
                units.append((latin_token(piece), piece.lower() in ENGLISH_STOP_WORDS))
    elif language == "hi":
        units = [
            (hindi_token(form), form in HINDI_STOP_FORMS or written.lower() in ENGLISH_STOP_WORDS)
            for written, form in hindi_words(query)
        ]
    return units


def query_concepts(query, language):
    """Return what a question asks for: concepts, each a list of phrases (tokens joined by spaces), any of
    which will do. A synonym's words make one concept with its group's other phrases; question words go."""
    units = _query_units(query, language)
    sequence = [token for token, _stop in units]
    groups = [
        sorted((tokens(phrase, language) for phrase in group), key=len, reverse=True)
        for group in SYNONYMS.get(language, ())
    ]
    concepts, i = [], 0
    while i < len(units):
        found = next(
            ((group, member) for group in groups for member in group if sequence[i : i + len(member)] == member),
            None,
        )
        if found:
            concepts.append([" ".join(member) for member in found[0]])
            i += len(found[1])
            continue
        if not units[i][1]:
            concepts.append([units[i][0]])
        i += 1
    return list({tuple(c): c for c in concepts}.values())


def query_tokens(query, language):
    """Return the distinct tokens of a question worth matching (synonyms' tokens included)."""
    return list(
        dict.fromkeys(token for concept in query_concepts(query, language) for p in concept for token in p.split())
    )


def sentences(text):
    """Split readable text into sentences at Chinese, Hindi and Latin sentence ends."""
    return [s.strip() for s in SENTENCE_END.split(text or "") if s.strip()]


def marked(text, wanted, language):
    """Split readable text into (text, matched) pieces: the pieces whose tokens are among `wanted`."""
    wanted = set(wanted)
    spans = []
    if language == "zh-hans":
        for match in CJK.finditer(text):
            run = match.group()
            for i, pair in enumerate(chinese_pairs(run)):
                if chinese_token(pair) in wanted:
                    spans.append((match.start() + i, match.start() + i + len(pair)))
        for match in LATIN.finditer(text):
            if latin_token(match.group()) in wanted:
                spans.append(match.span())
    elif language == "hi":
        for match in re.finditer(r"[\u0900-\u0963\u0966-\u097f]+|[A-Za-z0-9]+", text):
            if hindi_token(hindi_words(match.group())[0][1] if hindi_words(match.group()) else "") in wanted:
                spans.append(match.span())
    pieces, last = [], 0
    for start, end in sorted(spans):
        start = max(start, last)
        if start >= end:
            continue
        if start > last:
            pieces.append((text[last:start], False))
        pieces.append((text[start:end], True))
        last = end
    if last < len(text):
        pieces.append((text[last:], False))
    return pieces


def hits(text, wanted, language):
    """Return how many of the wanted tokens a piece of readable text holds."""
    return len(set(tokens(text, language)) & set(wanted))
