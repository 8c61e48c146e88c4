"""The content versions kept in the database, so a cache outage cannot lose an invalidation."""

from django.db import models


class ContentVersion(models.Model):
    """One row counting content changes; page-cache readers compare it at most every few seconds."""

    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "content version"
        verbose_name_plural = "content version"

    def __str__(self):
        return str(self.value)


class PageDependency(models.Model):
    """How often one thing pages depend on has changed, kept so a lost cache invalidation is caught up."""

    name = models.CharField(max_length=200, unique=True)
    version = models.BigIntegerField(default=0)
    fingerprint = models.CharField(max_length=64, blank=True)  # for lists: a hash of what they show

    class Meta:
        verbose_name = "page dependency"
        verbose_name_plural = "page dependencies"

    def __str__(self):
        return f"{self.name} ({self.version})"
