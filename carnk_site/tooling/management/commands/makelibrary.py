"""Write a synthetic content library of a chosen size, in the real file format."""

from django.core.management.base import BaseCommand

from carnk_site.tooling.library import make_library, write_library


class Command(BaseCommand):
    help = "Write a synthetic content folder (articles, claims, glossary, sources) that loadcontent can import."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=1000)
        parser.add_argument("--claims", type=int, default=10000)
        parser.add_argument("--terms", type=int, default=500)
        parser.add_argument("--sources", type=int, default=50)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--out", required=True, help="The folder to write (created if missing).")

    def handle(self, *args, articles, claims, terms, sources, seed, out, verbosity, **options):
        library = make_library(articles=articles, claims=claims, terms=terms, sources=sources, seed=seed)
        root = write_library(library, out)
        if verbosity:
            self.stdout.write(f"Wrote {articles} articles, {claims} claims, {terms} terms, {sources} sources to {root}")
