"""Load the content files into the database (`--check` only validates them)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from carnk_site.content_files.importer import InvalidContent, import_content
from carnk_site.publishing import background


class Command(BaseCommand):
    help = "Check every file in content/, then write sources, glossary, claims and articles in one transaction."

    def add_arguments(self, parser):
        parser.add_argument("--path", default=str(settings.CONTENT_DIR), help="The content folder (default: content/).")
        parser.add_argument("--check", action="store_true", help="Only check the files; write nothing.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Overwrite records changed in the admin (their admin version stays in the history).",
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help="Treat editorial warnings (readability, wording, numbers, glossary) as errors.",
        )

    def handle(self, *args, path, check, strict, force, verbosity, **options):
        try:
            report = import_content(path, check_only=check, strict=strict, force=force)
        except InvalidContent as exc:
            count = len(exc.errors)
            raise CommandError(
                f"{count} problem{'s' if count != 1 else ''} found; nothing was written.\n{exc}"
            ) from None
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(f"warning: {warning}"))
        if check:
            self.stdout.write(self.style.SUCCESS("All content files are valid."))
            return
        if verbosity:
            for line in report.lines():
                self.stdout.write(line)
        if finished := background.run_pending():
            self.stdout.write(f"Finished a background refresh left by an earlier process: {finished} articles.")
        for conflict in report.conflicts:
            self.stderr.write(self.style.ERROR(f"conflict: {conflict}"))
