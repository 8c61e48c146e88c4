"""The database's own full-text engine behind one small interface.

PostgreSQL: stored tsvectors (config 'english'; pages and statements each in a GIN-indexed column of
their own) matched with to_tsquery, ranked with ts_rank and quoted with ts_headline, all in one
statement; pg_trgm finds words close to a typo.
SQLite: an FTS5 table (porter stemming) with bm25 column weights and snippet(); the vocabulary
is narrowed by prefix. Both answer the same three questions, in one SQL query each:
`lexicon` (synonym groups and the vocabulary near the typed words), `find` (ranked matches with
a highlighted passage), and the index writes `forget` / `index_new_documents`.
"""

from dataclasses import dataclass

from django.db import connection
from django.urls import reverse

from carnk_site.search.models import SearchDocument
from carnk_site.search.text import parts, spelling_variants

CONFIG = "english"
START, STOP = "\x02", "\x03"  # never in indexed text (control characters are cleaned out)
PAGE_ROWS = 30  # article sections and glossary words, before grouping by article
CLAIM_ROWS = 10  # statements on the results page: the best ten, each with its sources, below the pages
PAGES_SHOWN = 20  # articles and glossary words on the results page
FTS_TABLE = "search_fts"
FTS_WEIGHTS = (10.0, 4.0, 1.0)  # A, B, C
PG_WEIGHTS = [0.02, 0.1, 0.4, 1.0]  # D, C, B, A
PASSAGE_WORDS = 30
CANDIDATES = 200
GIN_INDEXES = ["search_document_vector_gin", "search_document_claim_vector_gin", "search_word_trigram_gin"]


@dataclass
class Match:
    pk: int
    kind: str
    key: str
    position: int
    url: str
    title: str
    heading: str
    text_b: str
    claim_id: int
    rank: float
    passage: str
    sentences: str = ""
    intended: bool = False  # one of the sections an intent the query met points to


def current():
    """Return the engine for the default database."""
    return Postgres() if connection.vendor == "postgresql" else Sqlite()


INTENT_ROW = "#"  # the `typed` of an intent's row in the lexicon: never a folded word
FIELD_SEPARATOR = "\x1f"  # between an intent's name, phrases and sections (cleaned out of what editors type)


def _near_sql(trigram):
    """Vocabulary words a typo may stand for, of the same length give or take 2. PostgreSQL: trigram
    neighbours, or the same first two letters (both from an index). SQLite: the same first letter, or the
    same second and third ("lukemia"), from a scan of the vocabulary, small on a site like this."""
    if trigram:
        return "(word %% %s OR (word >= %s AND word < %s AND length(word) BETWEEN %s AND %s))"
    return "(length(word) BETWEEN %s AND %s AND (substr(word, 1, 1) = %s OR substr(word, 2, 2) = %s))"


def _near_params(word, trigram):
    if trigram:
        prefix = word[:2]
        return [word, prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1), len(word) - 2, len(word) + 2]
    return [len(word) - 2, len(word) + 2, word[:1], word[1:3]]


def target_urls(targets):
    """Return the index addresses of (slug, anchor) sections: an article's opening has no anchor."""
    return [reverse("articles:detail", args=[slug]) + (f"#{anchor}" if anchor else "") for slug, anchor in targets]


class Engine:
    trigram = False

    def lexicon(self, words):
        """Return (synonym group lines, {typed word: [(vocabulary word, documents)]}, intent rows) from one query.

        A word the index knows (or knows in its other spelling) comes back alone; only an unknown
        word brings the vocabulary near it, for typo correction: most queries scan no vocabulary.
        Intent rows are (name, phrases, sections).
        """
        sql = [
            "SELECT '' AS typed, words AS word, 0 AS documents FROM search_synonymgroup",
            "SELECT %s, name || %s || phrases || %s || sections, 0 FROM search_intent",
        ]
        params = [INTENT_ROW, FIELD_SEPARATOR, FIELD_SEPARATOR]
        for word in words:
            spellings = [word, *spelling_variants(word)]
            known = f"word IN ({', '.join(['%s'] * len(spellings))})"
            sql.append(f"SELECT %s, word, documents FROM search_searchword WHERE {known}")
            sql.append(
                "SELECT %s, word, documents FROM search_searchword"
                f" WHERE NOT EXISTS (SELECT 1 FROM search_searchword WHERE {known}) AND {_near_sql(self.trigram)}"
            )
            params += [word, *spellings, word, *spellings, *_near_params(word, self.trigram)]
        groups, near, intents = [], {word: [] for word in words}, []  # a word with nothing near it still answers: []
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(sql), params)
            for typed, word, documents in cursor.fetchall():
                if typed == INTENT_ROW:
                    intents.append(tuple(word.split(FIELD_SEPARATOR, 2)))
                elif typed:
                    near.setdefault(typed, []).append((word, documents))
                else:
                    groups.append(word)
        return groups, near, sorted(intents)


class Postgres(Engine):
    trigram = True

    def forget_all(self):
        pass

    def forget(self, pks):
        pass

    def index_new_documents(self):
        pass  # a trigger gives each row its vector as it is inserted (migration 0005)

    def analyse(self):
        """Give the planner fresh statistics and the GIN indexes a clean slate after a full rebuild.

        Rows written after an index was built wait in its pending list, which every search reads
        through until vacuum merges it: after a rebuild that is every row.
        """
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_searchdocument, search_searchword")
            cursor.execute(
                "SELECT gin_clean_pending_list(name::regclass) FROM unnest(%s::text[]) AS name", [GIN_INDEXES]
            )

    def find(self, concepts, every, targets=(), language="en"):
        """Return the best matches for the concepts (each a list of phrases): all of them, or any;
        and the intended sections `targets` ((slug, anchor) pairs), ranked 0 where they do not match.
        Only rows in `language`: a translation's rows hold tokens (search/scripts.py), never English words.
        An article section with stored sentences gets no headline: its result shows the sentence that
        answers instead (search.py), and the headlines were the costliest part of the statement.

        Ranking reads each candidate's whole vector, and a headline re-parses the text, so both
        are kept small: at most CANDIDATES matching rows of each list are ranked (a word found in
        more than that is too common for its ranking to help a reader; the shipped site has a few
        hundred rows in all), then only the rows shown get their columns and a headline: an
        article's best section, each glossary word and statement.

        Candidates come from the index alone with phrases loosened to "all their words": for a
        phrase the index cannot tell word order, so it would have every row re-checked (reading
        its vector) before the limit stops the scan. Word order is checked on the candidates only.
        """
        params = {
            "config": CONFIG,
            "query": tsquery(concepts, every),
            "loose": tsquery(concepts, every, loose=True),
            "target_keys": sorted({slug for slug, _anchor in targets}),
            "target_urls": target_urls(targets),
            "language": language,
        }
        with connection.cursor() as cursor:
            cursor.execute(FIND_SQL if concepts else TARGETS_SQL, {**params, "weights": PG_WEIGHTS, **FIND_LIMITS})
            cursor.nextset()  # past the SET, to the matches
            return [Match(*row) for row in cursor.fetchall()]


_TSQUERY = "to_tsquery(%(config)s::regconfig, %(query)s)"  # a constant the planner can estimate, in each place
_LOOSE = "to_tsquery(%(config)s::regconfig, %(loose)s)"  # phrases as all their words: answered by the index alone
_HEADLINE = "ts_headline(%(config)s::regconfig, {column}, " + _TSQUERY + ", '{options}')"
_SECTION_OPTIONS = (
    f"StartSel={START}, StopSel={STOP}, MaxWords={PASSAGE_WORDS}, MinWords={PASSAGE_WORDS // 2},"
    ' MaxFragments=2, FragmentDelimiter=" … "'
)
_WHOLE_OPTIONS = f"StartSel={START}, StopSel={STOP}, HighlightAll=true"  # a definition or statement, in full
_RANKED = """(
        SELECT id, rank, false AS intended FROM (
            SELECT DISTINCT ON (kind, key) id, kind, key, rank FROM (
                SELECT c.id, c.kind, c.key, c.position,
                    ts_rank(%(weights)s::float4[], c.vector, {tsquery}, 1) * c.boost AS rank
                FROM (
                    SELECT id, kind, key, position, {vector} AS vector, boost FROM search_searchdocument
                    WHERE {vector} @@ {loose} AND language = %(language)s LIMIT %(candidates)s
                ) c
                WHERE c.vector @@ {tsquery}
                ORDER BY rank DESC LIMIT {rows}
            ) top
            ORDER BY kind, key, rank DESC, position
        ) best
        ORDER BY rank DESC, kind, key LIMIT {shown}
    )"""  # an article's best section only, and only as many as a page shows: the rows given a headline
# Only the GIN indexes find candidates. Told "any 500 rows matching", the planner reckons a
# sequential scan meets them early, as if matches were spread evenly; they cluster (by kind, by
# topic), so it reads most of the table, 20-45 ms. The setting lasts for this one statement (an
# implicit transaction; RESET undoes it inside an open one) and travels in the same round trip.
# The sections an intent points to, found by the unique (kind, key, position) index: an anchor that
# went away finds nothing, and the article's opening stands in for it (position 0).
_TARGETED = """(
        SELECT id, CASE WHEN search_vector @@ {tsquery}
            THEN ts_rank(%(weights)s::float4[], search_vector, {tsquery}, 1) * boost ELSE 0 END, true
        FROM search_searchdocument
        WHERE kind = 'article' AND language = %(language)s AND key = ANY(%(target_keys)s)
            AND (url = ANY(%(target_urls)s) OR position = 0)
    )"""
_SHOWN = f"""
    SELECT d.id, d.kind, d.key, d.position, d.url, d.title, d.heading, d.text_b, d.claim_id, kept.rank,
        CASE WHEN d.kind = 'article' AND d.sentences > '' THEN ''
            WHEN d.kind = 'article' AND d.text_c > ''
            THEN {_HEADLINE.format(column="d.text_c", options=_SECTION_OPTIONS)}
            ELSE {_HEADLINE.format(column="d.text_b", options=_WHOLE_OPTIONS)}
        END, d.sentences, kept.intended
    FROM kept JOIN search_searchdocument d ON d.id = kept.id;
    RESET enable_seqscan
"""
FIND_SQL = f"""
    SET LOCAL enable_seqscan = off;
    WITH kept AS (
        {_RANKED.format(vector="search_vector", rows="%(page_rows)s", shown="%(pages_shown)s", tsquery=_TSQUERY, loose=_LOOSE)}
        UNION ALL {_RANKED.format(vector="claim_vector", rows="%(claim_rows)s", shown="%(claim_rows)s", tsquery=_TSQUERY, loose=_LOOSE)}
        UNION ALL {_TARGETED.format(tsquery=_TSQUERY)}
    )
    {_SHOWN}"""
# Nothing to match, only intended sections ("how much"): no tsquery at all, the headline is the section's start.
TARGETS_SQL = f"""
    SET LOCAL enable_seqscan = off;
    WITH kept AS (
        SELECT id, 0::float4 AS rank, true AS intended FROM search_searchdocument
        WHERE kind = 'article' AND language = %(language)s AND key = ANY(%(target_keys)s)
            AND (url = ANY(%(target_urls)s) OR position = 0)
    )
    {_SHOWN.replace(_TSQUERY, "''::tsquery")}"""
FIND_LIMITS = {"candidates": CANDIDATES, "page_rows": PAGE_ROWS, "pages_shown": PAGES_SHOWN, "claim_rows": CLAIM_ROWS}


def tsquery(concepts, every, loose=False):
    """Return to_tsquery text for the concepts: word parts only (never syntax), a phrase's words joined
    with <-> (in this order, side by side) or, loose, with & (all of them, anywhere)."""
    join = " & " if loose else " <-> "

    def phrase(text):
        return "(" + join.join(parts(text)) + ")"

    return (" & " if every else " | ").join("(" + " | ".join(phrase(p) for p in c) + ")" for c in concepts)


class Sqlite(Engine):
    def forget_all(self):
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")

    def forget(self, pks):
        with connection.cursor() as cursor:
            for start in range(0, len(pks), 500):
                chunk = pks[start : start + 500]
                cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({','.join('%s' for _ in chunk)})", chunk)

    def index_new_documents(self):
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid NOT IN (SELECT id FROM search_searchdocument)")
            cursor.execute(
                f"INSERT INTO {FTS_TABLE}(rowid, text_a, text_b, text_c) SELECT id, text_a, text_b, text_c"
                f" FROM search_searchdocument WHERE id NOT IN (SELECT rowid FROM {FTS_TABLE})"
            )

    def analyse(self):
        pass

    def find(self, concepts, every, targets=(), language="en"):
        """Return the best matches for the concepts (each a list of phrases): all of them, or any;
        and the intended sections `targets` ((slug, anchor) pairs), ranked 0 (those matching come
        back twice, ranked, and are merged by the caller). Only rows in `language`."""
        match = (" AND " if every else " OR ").join(
            "(" + " OR ".join(fts_phrase(p) for p in phrases) + ")" for phrases in concepts
        )
        weights = ", ".join(str(w) for w in FTS_WEIGHTS)
        select = (
            "SELECT d.id, d.kind, d.key, d.position, d.url, d.title, d.heading, d.text_b, d.claim_id,"
            f" -bm25({FTS_TABLE}, {weights}) * d.boost AS rank,"
            f" highlight({FTS_TABLE}, 1, %s, %s) AS passage_b,"
            f" CASE WHEN d.sentences > '' THEN '' ELSE snippet({FTS_TABLE}, 2, %s, %s, '…', {PASSAGE_WORDS}) END"
            " AS passage_c, d.sentences, 0 AS intended"
            f" FROM {FTS_TABLE} JOIN search_searchdocument d ON d.id = {FTS_TABLE}.rowid"
            f" WHERE {FTS_TABLE} MATCH %s AND d.language = %s AND d.kind {{}} 'claim' ORDER BY rank DESC LIMIT {{}}"
        )
        parts_sql, params = [], []
        if concepts:
            parts_sql += [
                f"SELECT * FROM ({select.format('<>', PAGE_ROWS)})",
                f"SELECT * FROM ({select.format('=', CLAIM_ROWS)})",
            ]
            params += [START, STOP, START, STOP, match, language] * 2
        if targets:
            keys, urls = sorted({slug for slug, _anchor in targets}), target_urls(targets)
            where = (
                f"d.kind = 'article' AND d.language = %s AND d.key IN ({', '.join(['%s'] * len(keys))})"
                f" AND (d.url IN ({', '.join(['%s'] * len(urls))}) OR d.position = 0)"
            )
            if concepts:  # ranked when they match, however far down the list of all matches they are
                parts_sql.append(
                    "SELECT d.id, d.kind, d.key, d.position, d.url, d.title, d.heading, d.text_b, d.claim_id,"
                    f" -bm25({FTS_TABLE}, {weights}) * d.boost, '', CASE WHEN d.sentences > '' THEN ''"
                    f" ELSE snippet({FTS_TABLE}, 2, %s, %s, '…', {PASSAGE_WORDS}) END, d.sentences, 1"
                    f" FROM {FTS_TABLE} JOIN search_searchdocument d"
                    f" ON d.id = {FTS_TABLE}.rowid WHERE {FTS_TABLE} MATCH %s AND {where}"
                )
                params += [START, STOP, match, language, *keys, *urls]
            parts_sql.append(
                "SELECT d.id, d.kind, d.key, d.position, d.url, d.title, d.heading, d.text_b, d.claim_id, 0, '', '',"
                f" d.sentences, 1 FROM search_searchdocument d WHERE {where}"
            )
            params += [language, *keys, *urls]
        if not parts_sql:
            return []
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts_sql), params)
            rows = cursor.fetchall()
        found = []
        for *fields, passage_b, passage_c, sentences, intended in rows:
            use_c = fields[1] == SearchDocument.Kind.ARTICLE and passage_c
            found.append(Match(*fields, passage_c if use_c else passage_b, sentences, bool(intended)))
        return found


def fts_phrase(phrase):
    """Quote a phrase for FTS5: its word parts inside double quotes, so no character is syntax."""
    return '"' + " ".join(parts(phrase)) + '"'
