"""Publish what is due: approved changes whose time has come, and background refreshes a stopped process left.

Run it every minute from cron (or a systemd timer) in production; loadcontent also finishes refreshes on every deploy.
"""

from django.core.management.base import BaseCommand

from carnk_site.publishing import background
from carnk_site.review import moderation


class Command(BaseCommand):
    help = "Publish approved changes whose time has come, and re-render articles still waiting for a refresh."

    def handle(self, *args, **options):
        published = moderation.publish_due()
        waiting = background.pending_articles()
        done = background.run_pending()
        self.stdout.write(
            f"{published} approved changes published; {waiting} articles were waiting; {done} re-rendered."
        )
