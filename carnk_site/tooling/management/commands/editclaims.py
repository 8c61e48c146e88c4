"""Save a claim every few seconds, as an editor would (run by `manage.py benchmark`, in a throwaway database)."""

from django.core.management.base import BaseCommand

from carnk_site.tooling.editing import edit_claims


class Command(BaseCommand):
    help = "Save one of the first --count public claims every --every seconds for --seconds. Use a throwaway database."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=float, default=2.0)
        parser.add_argument("--seconds", type=float, default=30.0)
        parser.add_argument("--count", type=int, default=10)

    def handle(self, *args, every, seconds, count, **options):
        out = self.stdout
        saves = edit_claims(every=every, seconds=seconds, count=count, out=lambda line: (out.write(line), out.flush()))
        out.write(f"{saves} saves")
