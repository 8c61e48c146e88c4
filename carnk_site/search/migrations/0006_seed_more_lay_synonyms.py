"""Add lay synonym groups for questions readers type that the first groups missed.

- Time and waiting: "waiting time" put a section on macrophage activation syndrome first, and
  "how long does it take to get treatment" matched only the word "long"; the answers (the weeks
  the cells take to make, the wait, the weeks near the trial site) say "weeks" and "wait".
- Joining a trial: "how do i sign up for a trial" put the glossary's "complete response" first
  ("sign" matched "signs"); the content says "join" and "taking part".
"""

from django.db import migrations

GROUPS = [
    "how long, wait, waiting, waiting time, weeks, time to make",
    "sign up, join, joining, take part, taking part, enrol, enroll, apply",
]


def seed(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    for words in GROUPS:
        if not SynonymGroup.objects.filter(words=words).exists():
            SynonymGroup.objects.create(words=words)


def unseed(apps, schema_editor):
    apps.get_model("search", "SynonymGroup").objects.filter(words__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0005_vector_trigger")]

    operations = [migrations.RunPython(seed, unseed)]
