"""Seed the synonym groups: lay words readers type, plus each glossary term's names (when terms exist).

On a new database the glossary is loaded after migrating; the index then keeps the glossary's
groups itself (carnk_site/search/index.py), so this only matters for databases that have terms.
"""

from django.db import migrations

LAY_GROUPS = [
    "colon cancer, bowel cancer, colorectal cancer",
    "graft vs host, graft versus host, graft-versus-host disease, GvHD",
    "elderly, older people, older adults, older age",
    "neurotoxicity, ICANS, brain and nerve side effects",
    "survival rate, survival, survive, survived, lived, years of life",
    "cost, costs, price, how much, pay, paying",
    "safe, safer, safety, side effects",
    "cure, cured, cures, remission, complete response, went away",
    "relapsed, relapse, came back, come back, comes back",
    "better than, compared with, compared to, versus, vs, difference",
]


def seed(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    Term = apps.get_model("glossary", "Term")
    SynonymGroup.objects.bulk_create(SynonymGroup(words=line) for line in LAY_GROUPS)
    for term in Term.objects.all():
        aliases = [line.strip() for line in term.aliases.splitlines() if line.strip()]
        names = list(dict.fromkeys(name.replace(",", " ") for name in [term.term, *aliases]))
        if len(names) > 1:
            SynonymGroup.objects.create(term_id=term.pk, words=", ".join(names)[:500])


def unseed(apps, schema_editor):
    apps.get_model("search", "SynonymGroup").objects.filter(words__in=LAY_GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0002_engine_indexes"), ("glossary", "0002_term_edit_token")]

    operations = [migrations.RunPython(seed, unseed)]
