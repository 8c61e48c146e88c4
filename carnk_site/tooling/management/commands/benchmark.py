"""Measure import time and serving speed on a synthetic library; print figures and target verdicts."""

from django.core.management.base import BaseCommand, CommandError

from carnk_site.tooling.livepreview import benchmark_livepreview
from carnk_site.tooling.pages import benchmark_pages
from carnk_site.tooling.render import benchmark_render
from carnk_site.tooling.run import benchmark, benchmark_import, benchmark_saves, benchmark_search


class Command(BaseCommand):
    help = (
        "Import a synthetic library (timed at two sizes), time admin saves, serve it with gunicorn on 127.0.0.1 "
        "and load its pages with wrk, then measure the page cache while an editor saves. Uses throwaway "
        "databases (SQLite, or PostgreSQL when DATABASE_URL says so) and the cache REDIS_URL names."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=1000)
        parser.add_argument("--claims", type=int, default=10000)
        parser.add_argument("--terms", type=int, default=500)
        parser.add_argument("--sources", type=int, default=50)
        parser.add_argument("--small", type=int, default=100, help="Articles in the smaller, comparison import.")
        parser.add_argument("--seconds", type=int, default=10, help="How long wrk loads each URL.")
        parser.add_argument("--mixed-seconds", type=int, default=40, help="How long the mixed run of editing lasts.")
        parser.add_argument("--strict", action="store_true", help="Exit with an error when a target is missed.")
        parser.add_argument(
            "--only",
            choices=["search", "saves", "import", "render", "pages", "livepreview"],
            help="search: time uncached searches on a library inserted in bulk; "
            "saves: time admin saves (claim, term definition, alias, rename) on a library inserted in bulk; "
            "import: time loadcontent into empty databases at --small and --articles articles; "
            "render: time the renderer on adversarial Markdown at its size limit and beyond; "
            "pages: page sizes, cached and uncached latency at --small and --articles articles inserted in bulk, "
            "and the page cache's hit rate while an editor saves a claim every 2 s; "
            "livepreview: readers' p50/p99 (cached and uncached mix) idle and while ten signed-in editors type in "
            "live preview, at --articles articles inserted in bulk, for --seconds each.",
        )
        parser.add_argument(
            "--saves-only", dest="only", action="store_const", const="saves", help="The same as --only saves."
        )
        parser.add_argument("--repeats", type=int, default=20, help="Saves timed per kind with --only saves.")

    def handle(self, *args, articles, claims, terms, sources, small, seconds, strict, only, **options):
        pages = {
            "sizes": (small, articles),
            "claims": claims,
            "terms": terms,
            "sources": sources,
            "seconds": seconds,
            "mixed_seconds": options["mixed_seconds"],
            "out": self.stdout.write,
        }
        if only == "search":
            ok = benchmark_search(articles=articles, claims=claims, terms=terms, sources=sources, out=self.stdout.write)
        if only == "saves":
            ok = benchmark_saves(
                articles=articles,
                claims=claims,
                terms=terms,
                sources=sources,
                repeats=options["repeats"],
                out=self.stdout.write,
            )
        if only == "render":
            ok = benchmark_render(out=self.stdout.write)
        if only == "pages":
            ok = benchmark_pages(**pages)
        if only == "livepreview":
            ok = benchmark_livepreview(
                articles=articles, claims=claims, terms=terms, sources=sources, seconds=seconds, out=self.stdout.write
            )
        if only == "import":
            ok = benchmark_import(
                articles=articles, claims=claims, terms=terms, sources=sources, small=small, out=self.stdout.write
            )
        if only:
            if strict and not ok:
                raise CommandError("At least one target was missed.")
            return
        ok = benchmark(
            articles=articles, claims=claims, terms=terms, sources=sources, small=small, out=self.stdout.write
        )
        self.stdout.write("Pages:")
        ok = benchmark_pages(**pages) and ok
        if strict and not ok:
            raise CommandError("At least one target was missed.")
