"""Editor accounts: staff in the Writer group, or clinical reviewers with the name readers see."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from carnk_site.review.models import ReviewerProfile
from carnk_site.review.roles import EDITORS_GROUP, REVIEWERS_GROUP


def check_new_editor(username, reviewer=None):
    """Raise ValidationError if the name is taken or a reviewer profile field is refused (before a password is asked)."""
    if get_user_model().objects.filter(username=username).exists():
        raise ValidationError(f"There is already an account called '{username}'.")
    if reviewer is not None:
        ReviewerProfile(**reviewer).full_clean(exclude=["user"])


def create_editor(username, password, email="", reviewer=None):
    """Create a staff account in the Writer group or, given profile fields, a clinical reviewer who can approve.

    `reviewer` holds the ReviewerProfile fields (display_name, role, credentials) from the person's own
    details. Raise ValidationError, creating nothing, if the name is taken or a value is refused.
    """
    User = get_user_model()
    check_new_editor(username, reviewer)
    validate_password(password, User(username=username, email=email))
    with transaction.atomic():
        user = User.objects.create_user(username=username, email=email, password=password, is_staff=True)
        user.groups.add(Group.objects.get(name=REVIEWERS_GROUP if reviewer else EDITORS_GROUP))
        if reviewer is not None:
            ReviewerProfile.objects.create(user=user, **reviewer)
    return user
