"""Statements get a vector column of their own, so each result list has its own GIN index and statistics.

With one column for both lists, the planner estimated how many statements match from statistics
dominated by long article sections, chose a sequential scan, and read every section's vector.
"""

import django.contrib.postgres.search
from django.db import migrations

FORWARD = [
    "DROP INDEX IF EXISTS search_document_page_gin",
    "DROP INDEX IF EXISTS search_document_claim_gin",
    "UPDATE search_searchdocument SET claim_vector = search_vector, search_vector = NULL WHERE kind = 'claim'",
    "CREATE INDEX search_document_vector_gin ON search_searchdocument USING gin (search_vector)",
    "CREATE INDEX search_document_claim_vector_gin ON search_searchdocument USING gin (claim_vector)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS search_document_vector_gin",
    "DROP INDEX IF EXISTS search_document_claim_vector_gin",
    "UPDATE search_searchdocument SET search_vector = claim_vector WHERE kind = 'claim'",
    "CREATE INDEX search_document_page_gin ON search_searchdocument USING gin (search_vector) WHERE kind <> 'claim'",
    "CREATE INDEX search_document_claim_gin ON search_searchdocument USING gin (search_vector) WHERE kind = 'claim'",
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("search", "0003_seed_synonyms")]

    operations = [
        migrations.AlterField(
            model_name="searchdocument",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(
                help_text="Articles and glossary words only.", null=True
            ),
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="claim_vector",
            field=django.contrib.postgres.search.SearchVectorField(
                help_text="Statements only: a column of their own gives each list its own index and statistics.",
                null=True,
            ),
        ),
        migrations.RunPython(run(FORWARD), run(BACKWARD)),
    ]
