"""Keep the search index in step with published content: the one owner of SearchDocument and SearchWord.

`refresh()` rebuilds the rows of the given articles, terms and claims (all of them when called
with no arguments), then the engine's own index (the stored tsvector on PostgreSQL, the FTS5
table on SQLite), the vocabulary typo correction chooses from, and the glossary's synonym groups.

Rows in other languages (`language` other than English) are made from published translations,
which live in a layer above this one: that layer registers a source of all its rows
(`add_language_source`, called on a full rebuild) and replaces a translation's rows when it is saved
(`replace_language_documents`). The English refresh never touches them, except to drop the rows of
an article that is no longer published or a claim no longer public.
"""

from collections import Counter

from django.db import transaction

from carnk_site.articles.models import Article
from carnk_site.evidence.models import Citation, Claim, citation_url
from carnk_site.glossary.models import Term
from carnk_site.search import engines
from carnk_site.search.extract import plain_text, sections, sentences_json
from carnk_site.search.models import SearchDocument, SearchWord, SynonymGroup
from carnk_site.search.text import clean, vocabulary_words

BOOST = {SearchDocument.Kind.ARTICLE: 1.0, SearchDocument.Kind.TERM: 0.8, SearchDocument.Kind.CLAIM: 0.5}
CHUNK = 2000
ENGLISH = "en"
#: Functions returning every row in other languages, registered by the layer that owns translations.
LANGUAGE_SOURCES = []
# Everything a refresh writes into a row: two rows with the same values are the same row.
ROW_FIELDS = (
    "kind",
    "language",
    "key",
    "position",
    "article_id",
    "term_id",
    "claim_id",
    "url",
    "title",
    "heading",
    "text_a",
    "text_b",
    "text_c",
    "sentences",
    "boost",
)


def refresh(articles=None, terms=None, claims=None):
    """Rebuild the index rows of these primary keys; with no arguments, of everything."""
    everything = articles is None and terms is None and claims is None
    if not everything and not (articles or terms or claims):
        return
    new_since = SearchDocument.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with transaction.atomic():
        if everything:
            SearchDocument.objects.all().delete()
            engines.current().forget_all()
            _write(_article_documents(Article.objects.published()))
            _write(_term_documents(Term.objects.all()))
            _write(_claim_documents(Claim.objects.public()))
            _sync_glossary_synonyms(Term.objects.all(), everything=True)
            for source in LANGUAGE_SOURCES:
                _write(source())
        else:
            if articles:
                articles = set(articles)
                claims = set(claims or ()) | set(
                    Article.claims.through.objects.filter(article_id__in=articles).values_list("claim_id", flat=True)
                )
                _replace(
                    SearchDocument.objects.filter(
                        kind=SearchDocument.Kind.ARTICLE, article_id__in=articles, language=ENGLISH
                    ),
                    _article_documents(Article.objects.published().filter(pk__in=articles)),
                )
                _forget(
                    SearchDocument.objects.filter(kind=SearchDocument.Kind.ARTICLE, article_id__in=articles)
                    .exclude(language=ENGLISH)
                    .exclude(article_id__in=Article.objects.published().values("pk"))
                )
                _forget(
                    SearchDocument.objects.filter(kind=SearchDocument.Kind.CLAIM).exclude(
                        claim_id__in=Claim.objects.public().values("pk")
                    )
                )
            if terms:
                changed = Term.objects.filter(pk__in=set(terms))
                _replace(
                    SearchDocument.objects.filter(
                        kind=SearchDocument.Kind.TERM, term_id__in=set(terms), language=ENGLISH
                    ),
                    _term_documents(changed),
                )
                _sync_glossary_synonyms(changed)
            if claims:
                _replace(
                    SearchDocument.objects.filter(
                        kind=SearchDocument.Kind.CLAIM, claim_id__in=set(claims), language=ENGLISH
                    ),
                    _claim_documents(Claim.objects.public().filter(pk__in=set(claims))),
                )
        engines.current().index_new_documents()
        if everything:
            rebuild_vocabulary()
            engines.current().analyse()
        else:
            add_to_vocabulary(new_since)


def add_language_source(source):
    """Register a function that returns every row in other languages, for a full rebuild."""
    if source not in LANGUAGE_SOURCES:
        LANGUAGE_SOURCES.append(source)


def replace_language_documents(language, kind, pk, documents):
    """Make the rows of one translated record (`kind` article, term or claim, its English `pk`) `documents`."""
    with transaction.atomic():
        _replace(SearchDocument.objects.filter(language=language, kind=kind, **{f"{kind}_id": pk}), documents)
        engines.current().index_new_documents()


def _replace(existing, documents):
    """Make the rows `existing` selects into `documents`, deleting and writing only the rows that differ.

    A re-render seldom changes what is indexed (evidence labels and link targets are not), so a
    refresh of a thousand re-rendered articles mostly finds its rows as they should be.
    """
    wanted = {_values(document): document for document in documents}
    current = {tuple(row[1:]): row[0] for row in existing.values_list("pk", *ROW_FIELDS).iterator(chunk_size=CHUNK)}
    stale = [pk for values, pk in current.items() if values not in wanted]
    for start in range(0, len(stale), CHUNK):
        _forget(SearchDocument.objects.filter(pk__in=stale[start : start + CHUNK]))
    _write(document for values, document in wanted.items() if values not in current)


def _values(document):
    """Return a new row's values as the database gives them back: the kind (first) as plain text, not an enum."""
    values = [getattr(document, name) for name in ROW_FIELDS]
    values[0] = str(values[0])
    return tuple(values)


def _forget(documents):
    engines.current().forget(list(documents.values_list("pk", flat=True)))
    documents.delete()


def _write(documents):
    batch = []
    for document in documents:
        batch.append(document)
        if len(batch) >= CHUNK:
            SearchDocument.objects.bulk_create(batch)
            batch = []
    SearchDocument.objects.bulk_create(batch)


def _article_documents(articles):
    claim_ids = dict(
        Article.claims.through.objects.filter(article_id__in=articles.values("pk")).values_list(
            "claim__slug", "claim_id"
        )
    )
    for article in articles.only("pk", "slug", "title", "summary", "key_points_html", "body_html").iterator():
        url = article.get_absolute_url()
        for position, section in enumerate(sections(article.body_html)):
            intro = position == 0
            yield SearchDocument(
                kind=SearchDocument.Kind.ARTICLE,
                key=article.slug,
                position=position,
                article_id=article.pk,
                url=f"{url}#{section.anchor}" if section.anchor else url,
                title=article.title,
                heading=section.heading,
                text_a=clean(f"{article.title} {section.heading}"),
                text_b=clean(f"{article.summary} {plain_text(article.key_points_html)}") if intro else "",
                text_c=section.text,
                sentences=sentences_json(section, claim_ids),
                boost=BOOST[SearchDocument.Kind.ARTICLE],
            )


def _term_documents(terms):
    for term in terms.iterator():
        yield SearchDocument(
            kind=SearchDocument.Kind.TERM,
            key=term.slug,
            term_id=term.pk,
            url=term.get_absolute_url(),
            title=term.term,
            text_a=clean(" ".join([term.term, *term.alias_list])),
            text_b=clean(term.definition),
            text_c=plain_text(term.explanation_html),
            boost=BOOST[SearchDocument.Kind.TERM],
        )


def _claim_documents(claims):
    claims = claims.only("pk", "slug", "statement")
    first_citation = {}
    for claim_id, source_slug, claim_slug, position in (
        Citation.objects.filter(claim__in=claims.values("pk"))
        .order_by("-position")
        .values_list("claim_id", "source__slug", "claim__slug", "position")
    ):
        first_citation[claim_id] = citation_url(source_slug, claim_slug, position)
    # Read at once, not through a server-side cursor: PostgreSQL plans a cursor for its first rows, and with
    # an import's long list of ids that plan took 2.4 s for 10,000 claims instead of 0.2 s. Claims are short.
    for claim in claims:
        yield SearchDocument(
            kind=SearchDocument.Kind.CLAIM,
            key=claim.slug,
            claim_id=claim.pk,
            url=first_citation.get(claim.pk, ""),
            title=clean(claim.statement)[:400],
            text_b=clean(claim.statement),
            boost=BOOST[SearchDocument.Kind.CLAIM],
        )


def _sync_glossary_synonyms(terms, everything=False):
    """Keep one synonym group per glossary term with other names: the term's name and its aliases."""
    wanted = {}
    for term in terms.only("pk", "term", "aliases"):
        names = list(dict.fromkeys(name.replace(",", " ").strip() for name in [term.term, *term.alias_list]))
        if len(names) > 1:
            wanted[term.pk] = ", ".join(names)[:500]
    existing = SynonymGroup.objects.filter(term__isnull=False)
    if not everything:
        existing = existing.filter(term__in=terms)
    current = dict(existing.values_list("term_id", "words"))
    SynonymGroup.objects.filter(term_id__in=[pk for pk in current if pk not in wanted]).delete()
    SynonymGroup.objects.bulk_create(SynonymGroup(term_id=pk, words=w) for pk, w in wanted.items() if pk not in current)
    for pk, words in wanted.items():
        if pk in current and current[pk] != words:
            SynonymGroup.objects.filter(term_id=pk).update(words=words)


def add_to_vocabulary(after_pk):
    """Add the words of rows written after `after_pk`; words no longer used stay until a full rebuild."""
    counts = _count_words(SearchDocument.objects.filter(pk__gt=after_pk, language=ENGLISH))
    SearchWord.objects.bulk_create(
        (SearchWord(word=word, documents=n) for word, n in counts.items() if len(word) <= 60),
        batch_size=CHUNK,
        ignore_conflicts=True,
    )


def _count_words(documents):
    counts = Counter()
    for texts in documents.values_list("text_a", "text_b", "text_c").iterator(chunk_size=CHUNK):
        counts.update(set(vocabulary_words(" ".join(texts))))
    return counts


def rebuild_vocabulary():
    """Count in how many index rows each word occurs; replace the vocabulary with the counts."""
    counts = _count_words(SearchDocument.objects.filter(language=ENGLISH))
    SearchWord.objects.all().delete()
    SearchWord.objects.bulk_create(
        (SearchWord(word=word, documents=n) for word, n in counts.items() if len(word) <= 60), batch_size=CHUNK
    )
