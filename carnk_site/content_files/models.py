"""What loadcontent last imported for each record, so admin edits are never overwritten silently."""

from django.db import models


class ImportedRecord(models.Model):
    """The fingerprint of a record as it was last imported from, or exported to, its file."""

    kind = models.CharField(max_length=20, help_text="The content folder: sources, claims, glossary or articles.")
    slug = models.CharField("id", max_length=100)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the record written in the file format.")
    synced_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "slug"]
        verbose_name = "imported record"
        verbose_name_plural = "imported records"
        constraints = [models.UniqueConstraint(fields=["kind", "slug"], name="unique_imported_record")]

    def __str__(self):
        return f"{self.kind}/{self.slug}"
