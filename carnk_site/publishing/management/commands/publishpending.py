"""Finish the background refreshes a stopped process left (loadcontent also does this on every deploy)."""

from django.core.management.base import BaseCommand

from carnk_site.publishing import background


class Command(BaseCommand):
    help = "Re-render the articles still waiting for a background refresh, here and now."

    def handle(self, *args, **options):
        waiting = background.pending_articles()
        done = background.run_pending()
        self.stdout.write(f"{waiting} articles were waiting; {done} re-rendered.")
