"""Write the database back to the content files (the reverse of loadcontent)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from carnk_site.content_files.exporter import export_content


class Command(BaseCommand):
    help = "Write every source, glossary term, claim and article to content/, one file each, in the file format."

    def add_arguments(self, parser):
        parser.add_argument("--path", default=str(settings.CONTENT_DIR), help="The content folder (default: content/).")

    def handle(self, *args, path, verbosity, **options):
        counts = export_content(path)
        if verbosity:
            self.stdout.write(f"{counts['written']} files written, {counts['unchanged']} unchanged in {path}")
