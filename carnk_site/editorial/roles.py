"""The Editors group: exactly the permissions editing needs, and nothing over users or groups."""

EDITORS_GROUP = "Editors"
EDITOR_PERMISSIONS = {
    "articles": ["article"],
    "evidence": ["claim", "citation", "source"],
    "glossary": ["term"],
}
ACTIONS = ("add", "change", "delete", "view")


def grant_editor_permissions(group, permission_model):
    """Give the group add, change, delete and view on the content models only."""
    codenames = [
        f"{action}_{model}" for models in EDITOR_PERMISSIONS.values() for model in models for action in ACTIONS
    ]
    permissions = permission_model.objects.filter(
        content_type__app_label__in=EDITOR_PERMISSIONS, codename__in=codenames
    )
    group.permissions.set(permissions)
    return permissions
