"""Create an editor account: staff, in the Writer group (or Clinical reviewer), with no power over users."""

import getpass
import os
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from carnk_site.editorial.accounts import check_new_editor, create_editor

REVIEWER_FIELDS = ("display_name", "role", "credentials")


class Command(BaseCommand):
    help = (
        "Create an editor account (staff, Writer group; --clinical-reviewer with --display-name and --role for"
        " the Clinical reviewer group). Reads EDITOR_PASSWORD, or asks for the password at a terminal."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--clinical-reviewer",
            action="store_true",
            help="Put the account in the Clinical reviewer group instead, able to approve articles."
            " Needs --display-name and --role.",
        )
        parser.add_argument(
            "--display-name",
            default="",
            help="The reviewer's name as they want readers to see it, e.g. 'Dr Jane Smith'.",
        )
        parser.add_argument("--role", default="", help="Their clinical role, e.g. 'Consultant haematologist'.")
        parser.add_argument("--credentials", default="", help="Their qualifications as they state them (optional).")

    def handle(self, *args, username, email, clinical_reviewer=False, **options):
        reviewer = self._reviewer_details(clinical_reviewer, {name: options[name].strip() for name in REVIEWER_FIELDS})
        try:
            check_new_editor(username, reviewer)
            create_editor(username, self._password(username), email=email, reviewer=reviewer)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):  # a reviewer profile field: name the option
                raise CommandError(
                    " ".join(f"{option(name)}: {' '.join(errors)}" for name, errors in exc.message_dict.items())
                ) from None
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"Editor '{username}' created. Sign in at {reverse('admin:index')}."))
        if reviewer:
            self.stdout.write(
                f"As a clinical reviewer they can approve articles; readers see “{reviewer['display_name']},"
                f" {reviewer['role']}”."
            )

    @staticmethod
    def _reviewer_details(clinical_reviewer, details):
        """Return the reviewer profile's fields, or refuse a reviewer readers could not be told the name of."""
        if not clinical_reviewer:
            given = [option(name) for name, value in details.items() if value]
            if given:
                raise CommandError(f"{', '.join(given)} only apply with --clinical-reviewer.")
            return None
        missing = [option(name) for name in ("display_name", "role") if not details[name]]
        if missing:
            raise CommandError(
                f"A clinical reviewer needs {' and '.join(missing)}: readers see the name and role beside each"
                " approval, so without them the account cannot approve. Take them from the person's own details,"
                ' e.g. --display-name "Dr Jane Smith" --role "Consultant haematologist". Nothing was created.'
            )
        return details

    @staticmethod
    def _password(username):
        password = os.environ.get("EDITOR_PASSWORD")
        if password:
            return password
        if not sys.stdin.isatty():
            raise CommandError(
                "No terminal to ask for the password: set EDITOR_PASSWORD, e.g."
                f" EDITOR_PASSWORD=… .venv/bin/python manage.py createeditor {username}"
            )
        return getpass.getpass(f"Password for {username}: ")


def option(field):
    """Return the command-line option of a reviewer profile field."""
    return f"--{field.replace('_', '-')}"
