import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Notes for readers move here from the editorial app; the table (editorial_readernote) is kept."""

    dependencies = [
        ("articles", "0003_evidence_profile"),
        ("editorial", "0004_readernote_moves_to_articles"),
        ("evidence", "0005_source_teller"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ReaderNote",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("note", models.CharField(max_length=300, verbose_name="note")),
                        ("created", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="date")),
                        (
                            "article",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="reader_notes",
                                to="articles.article",
                            ),
                        ),
                        (
                            "claim",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="reader_notes",
                                to="evidence.claim",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "note for readers",
                        "verbose_name_plural": "notes for readers",
                        "ordering": ["-created", "-pk"],
                        "db_table": "editorial_readernote",
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(("article__isnull", False), ("claim__isnull", True)),
                                    models.Q(("article__isnull", True), ("claim__isnull", False)),
                                    _connector="OR",
                                ),
                                name="reader_note_on_article_or_claim",
                            )
                        ],
                    },
                ),
            ]
        ),
    ]
