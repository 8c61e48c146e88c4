"""The content version kept in the database, so a cache outage cannot lose an invalidation."""

from django.db import models


class ContentVersion(models.Model):
    """One row counting content changes; page-cache readers compare it at most every few seconds."""

    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "content version"
        verbose_name_plural = "content version"

    def __str__(self):
        return str(self.value)
