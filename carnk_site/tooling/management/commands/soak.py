"""Soak the site: gunicorn on 127.0.0.1 under load; report errors and the workers' memory trend."""

from django.core.management.base import BaseCommand, CommandError

from carnk_site.tooling.soak import soak


class Command(BaseCommand):
    help = (
        "Serve the site with gunicorn on a free port in 8400-8499, load every reader page for --seconds at "
        "--connections, and report errors and worker memory. Fails on any error or steady memory growth."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=int, default=60)
        parser.add_argument("--connections", type=int, default=32)
        parser.add_argument("--workers", type=int, help="gunicorn workers (default: the repo's gunicorn config).")
        parser.add_argument(
            "--client",
            choices=["auto", "wrk", "python"],
            default="auto",
            help="Load generator: wrk when installed (auto), or a threaded Python client.",
        )

    def handle(self, *args, seconds, connections, workers, client, **options):
        if not soak(seconds=seconds, connections=connections, workers=workers, client=client, out=self.stdout.write):
            raise CommandError("The soak failed: see the figures above.")
