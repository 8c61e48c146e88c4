from django.core.management.base import BaseCommand

from carnk_site.search.index import refresh
from carnk_site.search.models import SearchDocument, SearchWord


class Command(BaseCommand):
    help = "Rebuild the whole search index from the published content."

    def handle(self, *args, verbosity=1, **options):
        refresh()
        if verbosity:
            self.stdout.write(
                f"Search index rebuilt: {SearchDocument.objects.count()} entries, {SearchWord.objects.count()} words."
            )
