"""Keep loadcontent's memory of claim translation files valid after their English fingerprint grew.

translations 0003 re-stamps a current claim translation's `english_hash` to cover the claim's
quotes. loadcontent remembers each file's fingerprint, which includes that hash; without this,
the next load would take every claim translation for an admin edit (a conflict) and keep it,
never loading the quote translations from the files.
"""

import hashlib
import json

from django.db import migrations


def fingerprint(values):
    return hashlib.sha256(json.dumps([v or "" for v in values], ensure_ascii=False).encode()).hexdigest()


def restamp(apps, schema_editor):
    ImportedRecord = apps.get_model("content_files", "ImportedRecord")
    ClaimTranslation = apps.get_model("translations", "ClaimTranslation")
    Citation = apps.get_model("evidence", "Citation")
    for translation in ClaimTranslation.objects.select_related("claim"):
        statement = translation.claim.statement
        quotes = list(
            Citation.objects.filter(claim_id=translation.claim_id).order_by("position", "pk").values_list("quote", flat=True)
        )
        if translation.english_hash != fingerprint([statement, *quotes]):
            continue  # out of date: translations 0003 left it as it was
        # As content_files.translation_files._file_fingerprint: the version, then the values by name.
        old = fingerprint([fingerprint([statement]), translation.method, translation.statement])
        new = fingerprint([translation.english_hash, translation.method, translation.statement])
        ImportedRecord.objects.filter(
            kind=f"{translation.language}/claims", slug=translation.claim.slug, fingerprint=old
        ).update(fingerprint=new)


class Migration(migrations.Migration):
    dependencies = [
        ("content_files", "0001_initial"),
        ("translations", "0003_claim_quote_translations"),
    ]

    operations = [migrations.RunPython(restamp, migrations.RunPython.noop)]
