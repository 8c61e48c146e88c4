"""PostgreSQL fills in a row's vector as the row is inserted, with a trigger (the manual's pattern).

Filling it in with an UPDATE after the insert left a dead copy of every row; until vacuum came,
each search visited those too, and a search over a freshly rebuilt index took twice as long.
The weights are those the index has always used: A title and names, B summary and statement, C body.
Statements get `claim_vector`, everything else `search_vector`.
"""

from django.db import migrations

FORWARD = [
    """
    CREATE FUNCTION search_document_vector() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        vector tsvector := setweight(to_tsvector('english'::regconfig, coalesce(NEW.text_a, '')), 'A')
            || setweight(to_tsvector('english'::regconfig, coalesce(NEW.text_b, '')), 'B')
            || setweight(to_tsvector('english'::regconfig, coalesce(NEW.text_c, '')), 'C');
    BEGIN
        IF NEW.kind = 'claim' THEN
            NEW.claim_vector := vector;
            NEW.search_vector := NULL;
        ELSE
            NEW.search_vector := vector;
            NEW.claim_vector := NULL;
        END IF;
        RETURN NEW;
    END
    $$
    """,
    """
    CREATE TRIGGER search_document_vector BEFORE INSERT OR UPDATE OF kind, text_a, text_b, text_c
    ON search_searchdocument FOR EACH ROW EXECUTE FUNCTION search_document_vector()
    """,
    """
    UPDATE search_searchdocument SET text_a = text_a
    WHERE search_vector IS NULL AND claim_vector IS NULL
    """,
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS search_document_vector ON search_searchdocument",
    "DROP FUNCTION IF EXISTS search_document_vector()",
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("search", "0004_claim_vector")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
