"""Create an editor account: staff, in the Writer group (or Clinical reviewer), with no power over users."""

import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from carnk_site.review.roles import EDITORS_GROUP, REVIEWERS_GROUP


class Command(BaseCommand):
    help = (
        "Create an editor account (staff, Writer group; --clinical-reviewer for the Clinical reviewer group)."
        " Asks for the password, or reads EDITOR_PASSWORD."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--clinical-reviewer",
            action="store_true",
            help="Put the account in the Clinical reviewer group instead. Their public name, credentials and role"
            " are entered in the admin (Clinical reviewers) from their own details.",
        )

    def handle(self, *args, username, email, clinical_reviewer=False, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"There is already an account called '{username}'.")
        password = os.environ.get("EDITOR_PASSWORD") or getpass.getpass(f"Password for {username}: ")
        try:
            validate_password(password, User(username=username, email=email))
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        user = User.objects.create_user(username=username, email=email, password=password, is_staff=True)
        user.groups.add(Group.objects.get(name=REVIEWERS_GROUP if clinical_reviewer else EDITORS_GROUP))
        self.stdout.write(self.style.SUCCESS(f"Editor '{username}' created. Sign in at {reverse('admin:index')}."))
        if clinical_reviewer:
            self.stdout.write("Next: add their name, credentials and role under Clinical review › Clinical reviewers.")
