from django.db import migrations, models


def teller_from_commercial(apps, schema_editor):
    """Sources that sell treatment are told by a seller; an editor confirms the others."""
    Source = apps.get_model("evidence", "Source")
    Source.objects.filter(commercial=True).update(teller="seller")


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0004_remove_overview"),
    ]

    operations = [
        migrations.AddField(
            model_name="source",
            name="teller",
            field=models.CharField(
                choices=[
                    ("study-report", "the study's own report"),
                    ("news-report", "a news report"),
                    ("seller", "a company selling treatment"),
                    ("blog", "a personal blog"),
                ],
                default="news-report",
                help_text="What kind of document this is for readers: the study's own report, a news report about it, a company selling treatment, or a personal blog. Labels say it unless a claim cites the study's own report.",
                max_length=20,
                verbose_name="who tells it",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(teller_from_commercial, migrations.RunPython.noop),
    ]
