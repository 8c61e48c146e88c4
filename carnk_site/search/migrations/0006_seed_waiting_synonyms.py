"""Add a lay synonym group for time and waiting: readers ask "how long" and "waiting time".

Before it, "waiting time" put a section on macrophage activation syndrome first, and "how long
does it take to get treatment" matched only the word "long"; the answers (how many weeks the cells
take to make, the wait, the weeks near the trial site) use "weeks" and "wait".
"""

from django.db import migrations

WORDS = "how long, wait, waiting, waiting time, weeks, time to make"


def seed(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    if not SynonymGroup.objects.filter(words=WORDS).exists():
        SynonymGroup.objects.create(words=WORDS)


def unseed(apps, schema_editor):
    apps.get_model("search", "SynonymGroup").objects.filter(words=WORDS).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0005_vector_trigger")]

    operations = [migrations.RunPython(seed, unseed)]
