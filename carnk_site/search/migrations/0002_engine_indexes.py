"""Each database's own search machinery: pg_trgm and GIN indexes on PostgreSQL, an FTS5 table on SQLite."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

POSTGRES = [
    # One GIN index per result list (pages; statements), so each finds its candidates without the other's rows.
    (
        "CREATE INDEX search_document_page_gin ON search_searchdocument USING gin (search_vector) WHERE kind <> 'claim'",
        "DROP INDEX IF EXISTS search_document_page_gin",
    ),
    (
        "CREATE INDEX search_document_claim_gin ON search_searchdocument USING gin (search_vector) WHERE kind = 'claim'",
        "DROP INDEX IF EXISTS search_document_claim_gin",
    ),
    (
        "CREATE INDEX search_word_trigram_gin ON search_searchword USING gin (word gin_trgm_ops)",
        "DROP INDEX IF EXISTS search_word_trigram_gin",
    ),
]
SQLITE = [
    (
        "CREATE VIRTUAL TABLE search_fts USING fts5("
        "text_a, text_b, text_c, tokenize = 'porter unicode61 remove_diacritics 2')",
        "DROP TABLE IF EXISTS search_fts",
    ),
]


def run(statements, vendor, index):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == vendor:
            for pair in statements:
                schema_editor.execute(pair[index])

    return operation


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        TrigramExtension(),  # does nothing on other databases
        migrations.RunPython(run(POSTGRES, "postgresql", 0), run(POSTGRES, "postgresql", 1)),
        migrations.RunPython(run(SQLITE, "sqlite", 0), run(SQLITE, "sqlite", 1)),
    ]
