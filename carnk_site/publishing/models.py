"""Refreshes too large for an editor's request, kept in the database until they are done."""

from django.db import models


class RefreshJob(models.Model):
    """Articles a committed change affects, re-rendered after the response.

    A row outlives the process that was running it: the next refresh, `loadcontent` or
    `manage.py publishpending` finishes it, so a restarted worker never leaves pages stale for good.
    """

    created = models.DateTimeField(auto_now_add=True)
    articles = models.JSONField(default=list, help_text="Ids of the articles to re-render.")
    body_only = models.JSONField(default=list, help_text="Of those, the ones whose key points cannot change.")
    claimed_at = models.DateTimeField(null=True, blank=True, help_text="When the running process took the job.")
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="The runner's last sign of life; a stale one lets another process take over."
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"refresh of {len(self.articles)} articles (queued {self.created:%Y-%m-%d %H:%M:%S})"
