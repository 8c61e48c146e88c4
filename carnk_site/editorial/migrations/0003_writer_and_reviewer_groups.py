"""Rename the Editors group to Writer (same members) and add the Clinical reviewer group."""
from django.contrib.auth.management import create_permissions
from django.db import migrations

from carnk_site.review.roles import (
    OLD_EDITORS_GROUP,
    REVIEWERS_GROUP,
    WRITERS_GROUP,
    grant_editor_permissions,
    grant_reviewer_permissions,
)


def _create_permissions(apps):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None


def forwards(apps, schema_editor):
    _create_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    writers = Group.objects.filter(name=OLD_EDITORS_GROUP).first()
    if writers is not None and not Group.objects.filter(name=WRITERS_GROUP).exists():
        writers.name = WRITERS_GROUP
        writers.save()
    writers, _ = Group.objects.get_or_create(name=WRITERS_GROUP)
    grant_editor_permissions(writers, Permission)
    reviewers, _ = Group.objects.get_or_create(name=REVIEWERS_GROUP)
    grant_reviewer_permissions(reviewers, Permission)


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name=REVIEWERS_GROUP).delete()
    Group.objects.filter(name=WRITERS_GROUP).update(name=OLD_EDITORS_GROUP)


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0002_readernote"),
        ("review", "0001_initial"),
        ("feedback", "0001_initial"),
        ("trust", "0001_initial"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
