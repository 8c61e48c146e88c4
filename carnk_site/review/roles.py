"""The editorial roles as groups: Writers edit content, Clinical reviewers sign versions off.

Neither group has any power over users, groups or permissions. `EDITORS_GROUP` is the old name
of the Writer group, kept as an alias so code and commands written before the rename still work.
"""

WRITERS_GROUP = "Writer"
REVIEWERS_GROUP = "Clinical reviewer"
EDITORS_GROUP = WRITERS_GROUP
OLD_EDITORS_GROUP = "Editors"

EDITOR_PERMISSIONS = {
    "articles": ["article"],
    "evidence": ["claim", "citation", "source"],
    "glossary": ["term"],
    "trust": ["trustpage"],
}
ACTIONS = ("add", "change", "delete", "view")
# Beyond the content: writers answer reviewers and triage feedback; reviewers read everything and approve.
WRITER_EXTRA = ["add_reviewcomment", "view_reviewcomment", "view_approval", "change_feedback", "view_feedback"]
REVIEWER_PERMISSIONS = [
    *(f"view_{model}" for models in EDITOR_PERMISSIONS.values() for model in models),
    "add_approval",
    "view_approval",
    "add_reviewcomment",
    "view_reviewcomment",
    "view_feedback",
]


def _permissions(permission_model, codenames):
    apps = {"articles", "evidence", "glossary", "trust", "review", "feedback"}
    return permission_model.objects.filter(content_type__app_label__in=apps, codename__in=codenames)


def grant_editor_permissions(group, permission_model):
    """Give the Writer group add, change, delete and view on the content models, and nothing over users."""
    codenames = [
        f"{action}_{model}" for models in EDITOR_PERMISSIONS.values() for model in models for action in ACTIONS
    ]
    permissions = _permissions(permission_model, codenames + WRITER_EXTRA)
    group.permissions.set(permissions)
    return permissions


def grant_reviewer_permissions(group, permission_model):
    """Give the Clinical reviewer group view on content, and approving and commenting."""
    permissions = _permissions(permission_model, REVIEWER_PERMISSIONS)
    group.permissions.set(permissions)
    return permissions


def is_reviewer(user):
    """Return True if the user may sign articles off (a profile is also needed to approve)."""
    return user.is_active and (user.is_superuser or user.groups.filter(name=REVIEWERS_GROUP).exists())
