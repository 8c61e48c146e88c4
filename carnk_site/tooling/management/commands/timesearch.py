"""Time uncached searches on the library in this database (run by `manage.py benchmark`, in a throwaway database)."""

from django.core.management.base import BaseCommand, CommandError

from carnk_site.tooling.search import insert_for_search, time_searches


class Command(BaseCommand):
    help = "Time uncached searches through the whole request path (p99). Use a throwaway database."

    def add_arguments(self, parser):
        parser.add_argument("--insert", action="store_true", help="First insert a synthetic library of this size.")
        parser.add_argument("--articles", type=int, default=1000)
        parser.add_argument("--claims", type=int, default=10000)
        parser.add_argument("--terms", type=int, default=500)
        parser.add_argument("--sources", type=int, default=50)
        parser.add_argument("--rounds", type=int, default=5)
        parser.add_argument("--strict", action="store_true")

    def handle(self, *args, insert, articles, claims, terms, sources, rounds, strict, **options):
        if insert:
            insert_for_search(articles=articles, claims=claims, terms=terms, sources=sources, out=self.stdout.write)
        if not time_searches(rounds=rounds, out=self.stdout.write) and strict:
            raise CommandError("The search target was missed.")
