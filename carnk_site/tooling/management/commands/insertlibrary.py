"""Insert a synthetic library in bulk, rendered by the pipeline (for benchmarks, in a throwaway database)."""

from django.core.management.base import BaseCommand

from carnk_site.caching import version
from carnk_site.publishing.pages import store_list_fingerprints
from carnk_site.tooling.database import insert_library
from carnk_site.tooling.library import make_library


class Command(BaseCommand):
    help = "Insert a synthetic library with bulk writes, rendered as saving would. Use a throwaway database."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=1000)
        parser.add_argument("--claims", type=int, default=10000)
        parser.add_argument("--terms", type=int, default=500)
        parser.add_argument("--sources", type=int, default=50)

    def handle(self, *args, articles, claims, terms, sources, **options):
        made = make_library(articles=articles, claims=claims, terms=terms, sources=sources)
        self.stdout.write(f"{insert_library(made)} articles inserted")
        store_list_fingerprints()  # as the pipeline's first save would, so that save invalidates no list
        version.bump()  # bulk inserts send no signals: every cached page is stale, as after a commit
