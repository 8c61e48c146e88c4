"""Create an editor account: staff, in the Editors group, with no power over users."""

import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from carnk_site.editorial.roles import EDITORS_GROUP


class Command(BaseCommand):
    help = "Create an editor account (staff, Editors group). Asks for the password, or reads EDITOR_PASSWORD."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")

    def handle(self, *args, username, email, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"There is already an account called '{username}'.")
        password = os.environ.get("EDITOR_PASSWORD") or getpass.getpass(f"Password for {username}: ")
        try:
            validate_password(password, User(username=username, email=email))
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        user = User.objects.create_user(username=username, email=email, password=password, is_staff=True)
        user.groups.add(Group.objects.get(name=EDITORS_GROUP))
        self.stdout.write(self.style.SUCCESS(f"Editor '{username}' created. Sign in at {reverse('admin:index')}."))
