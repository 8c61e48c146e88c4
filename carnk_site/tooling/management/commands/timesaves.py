"""Time admin saves on the library in this database (run by `manage.py benchmark`, in a throwaway database)."""

from django.core.management.base import BaseCommand, CommandError

from carnk_site.tooling.database import insert_library
from carnk_site.tooling.library import make_library
from carnk_site.tooling.saves import time_saves


class Command(BaseCommand):
    help = "Time admin saves of a claim, a term definition, an alias and a term rename (p95). Use a throwaway database."

    def add_arguments(self, parser):
        parser.add_argument("--insert", action="store_true", help="First insert a synthetic library of this size.")
        parser.add_argument("--articles", type=int, default=1000)
        parser.add_argument("--claims", type=int, default=10000)
        parser.add_argument("--terms", type=int, default=500)
        parser.add_argument("--sources", type=int, default=50)
        parser.add_argument("--repeats", type=int, default=20)
        parser.add_argument("--strict", action="store_true")

    def handle(self, *args, insert, articles, claims, terms, sources, repeats, strict, **options):
        if insert:
            insert_library(make_library(articles=articles, claims=claims, terms=terms, sources=sources))
        if not time_saves(self.stdout.write, repeats=repeats) and strict:
            raise CommandError("At least one save target was missed.")
