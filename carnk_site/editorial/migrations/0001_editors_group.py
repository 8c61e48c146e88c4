"""Create the Editors group with exactly the permissions editing needs."""
from django.contrib.auth.management import create_permissions
from django.db import migrations

from carnk_site.review.roles import EDITORS_GROUP, grant_editor_permissions


def create_editors_group(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    grant_editor_permissions(group, Permission)


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=EDITORS_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("articles", "0002_article_edit_token"),
        ("evidence", "0002_citation_checked_at_claim_edit_token_and_more"),
        ("glossary", "0002_term_edit_token"),
    ]
    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]
