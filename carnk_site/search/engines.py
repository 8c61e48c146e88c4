"""The database's own full-text engine behind one small interface.

PostgreSQL: a stored tsvector (config 'english', GIN-indexed) queried with SearchQuery, ranked
with SearchRank and quoted with SearchHeadline; pg_trgm finds words close to a typo.
SQLite: an FTS5 table (porter stemming) with bm25 column weights and snippet(); the vocabulary
is narrowed by prefix. Both answer the same three questions, in one SQL query each:
`lexicon` (synonym groups and the vocabulary near the typed words), `find` (ranked matches with
a highlighted passage), and the index writes `forget` / `index_new_documents`.
"""

from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, F, Value, When

from .models import SearchDocument
from .text import parts

CONFIG = "english"
START, STOP = "\x02", "\x03"  # never in indexed text (control characters are cleaned out)
PAGE_ROWS = 30  # article sections and glossary words, before grouping by article
CLAIM_ROWS = 20
FTS_TABLE = "search_fts"
FTS_WEIGHTS = (10.0, 4.0, 1.0)  # A, B, C
PG_WEIGHTS = [0.02, 0.1, 0.4, 1.0]  # D, C, B, A
PASSAGE_WORDS = 30
CANDIDATES = 500


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


def current():
    """Return the engine for the default database."""
    return Postgres() if connection.vendor == "postgresql" else Sqlite()


def _lexicon_sql_for_word(prefix_range_only):
    near = "(word >= %s AND word < %s AND length(word) BETWEEN %s AND %s)"
    return near if prefix_range_only else f"(word %% %s OR {near})"


def _prefix_params(word):
    prefix = word[:2]
    return [prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1), len(word) - 2, len(word) + 2]


class Engine:
    trigram = False

    def lexicon(self, words):
        """Return (synonym group lines, {typed word: [(vocabulary word, documents)]}) from one query."""
        sql = ["SELECT '' AS typed, words AS word, 0 AS documents FROM search_synonymgroup"]
        params = []
        for word in words:
            sql.append(
                "SELECT %s, word, documents FROM search_searchword WHERE " + _lexicon_sql_for_word(not self.trigram)
            )
            params += [word, *([word] if self.trigram else []), *_prefix_params(word)]
        groups, near = [], {}
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(sql), params)
            for typed, word, documents in cursor.fetchall():
                if typed:
                    near.setdefault(typed, []).append((word, documents))
                else:
                    groups.append(word)
        return groups, near


class Postgres(Engine):
    trigram = True

    def forget_all(self):
        pass

    def forget(self, pks):
        pass

    def index_new_documents(self):
        vector = (
            SearchVector("text_a", weight="A", config=CONFIG)
            + SearchVector("text_b", weight="B", config=CONFIG)
            + SearchVector("text_c", weight="C", config=CONFIG)
        )
        SearchDocument.objects.filter(search_vector__isnull=True).update(search_vector=vector)

    def analyse(self):
        """Give the planner fresh statistics after a full rebuild (the GIN indexes are only used with them)."""
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_searchdocument, search_searchword")

    def find(self, concepts, every):
        """Return the best matches for the concepts (each a list of phrases): all of them, or any.

        At most CANDIDATES matching article sections and glossary words are ranked: ranking reads every matching
        row's vector, and a word found in more sections than that is too common for its ranking
        to help a reader (the shipped site has a few hundred rows in all).
        """
        query = SearchQuery(tsquery(concepts, every), search_type="raw", config=CONFIG)
        marks = {"config": CONFIG, "start_sel": START, "stop_sel": STOP}
        section = SearchHeadline(
            "text_c",
            query,
            max_words=PASSAGE_WORDS,
            min_words=PASSAGE_WORDS // 2,
            fragment_delimiter=" … ",
            max_fragments=2,
            **marks,
        )
        whole = SearchHeadline("text_b", query, highlight_all=True, **marks)  # a definition or statement, in full
        matching = SearchDocument.objects.filter(search_vector=query).order_by().values("pk")
        pages = matching.exclude(kind=SearchDocument.Kind.CLAIM)[:CANDIDATES]
        claims = matching.filter(kind=SearchDocument.Kind.CLAIM)  # small vectors; a LIMIT here invites a seq scan
        ranked = SearchDocument.objects.annotate(
            rank=SearchRank(F("search_vector"), query, weights=PG_WEIGHTS, normalization=Value(1)) * F("boost"),
            passage=Case(When(kind=SearchDocument.Kind.ARTICLE, text_c__gt="", then=section), default=whole),
        ).values_list(*FIELDS)
        top_pages = ranked.filter(pk__in=pages).order_by("-rank")[:PAGE_ROWS]
        top_claims = ranked.filter(pk__in=claims).order_by("-rank")[:CLAIM_ROWS]
        return [Match(*row) for row in top_pages.union(top_claims, all=True)]


def tsquery(concepts, every):
    """Return to_tsquery text for the concepts: word parts only (never syntax), phrases joined with <->."""

    def phrase(text):
        return "(" + " <-> ".join(parts(text)) + ")"

    return (" & " if every else " | ").join("(" + " | ".join(phrase(p) for p in c) + ")" for c in concepts)


FIELDS = ("pk", "kind", "key", "position", "url", "title", "heading", "text_b", "claim_id", "rank", "passage")


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

    def find(self, concepts, every):
        """Return the best matches for the concepts (each a list of phrases): all of them, or any."""
        match = (" AND " if every else " OR ").join(
            "(" + " OR ".join(fts_phrase(p) for p in phrases) + ")" for phrases in concepts
        )
        weights = ", ".join(str(w) for w in FTS_WEIGHTS)
        select = (
            "SELECT d.id, d.kind, d.key, d.position, d.url, d.title, d.heading, d.text_b, d.claim_id,"
            f" -bm25({FTS_TABLE}, {weights}) * d.boost AS rank,"
            f" highlight({FTS_TABLE}, 1, %s, %s) AS passage_b,"
            f" snippet({FTS_TABLE}, 2, %s, %s, '…', {PASSAGE_WORDS}) AS passage_c"
            f" FROM {FTS_TABLE} JOIN search_searchdocument d ON d.id = {FTS_TABLE}.rowid"
            f" WHERE {FTS_TABLE} MATCH %s AND d.kind {{}} 'claim' ORDER BY rank DESC LIMIT {{}}"
        )
        sql = f"SELECT * FROM ({select.format('<>', PAGE_ROWS)}) UNION ALL SELECT * FROM ({select.format('=', CLAIM_ROWS)})"
        params = [START, STOP, START, STOP, match] * 2
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        found = []
        for *fields, passage_b, passage_c in rows:
            use_c = fields[1] == SearchDocument.Kind.ARTICLE and passage_c
            found.append(Match(*fields, passage_c if use_c else passage_b))
        return found


def fts_phrase(phrase):
    """Quote a phrase for FTS5: its word parts inside double quotes, so no character is syntax."""
    return '"' + " ".join(parts(phrase)) + '"'
