"""The editorial app's one record: who has a record's change form open in the admin (presence.py).

Its migrations also set up the editors' groups.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models


class EditingPresenceQuerySet(models.QuerySet):
    def for_record(self, content_type, object_id):
        return self.filter(content_type=content_type, object_id=object_id)

    def present(self, since):
        """Return the presences whose browser was heard from at `since` or later."""
        return self.filter(seen__gte=since)


class EditingPresence(models.Model):
    """An editor who has a record's change form open, as their browser last said.

    One row per editor and record, rewritten while the form stays open and deleted when the page
    is left; a row not heard from for a few minutes counts as gone. No page shows it on its own.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    view = models.CharField(
        max_length=32,
        blank=True,
        help_text="The page view that last spoke, so a late 'left' from a closed page is ignored.",
    )
    opened = models.DateTimeField(help_text="When the editor opened the form.")
    seen = models.DateTimeField(help_text="When the editor's browser last said the form was still open.")
    unsaved_since = models.DateTimeField(
        null=True, blank=True, help_text="Since when the editor's browser keeps text for this record that is not saved."
    )

    objects = EditingPresenceQuerySet.as_manager()

    class Meta:
        ordering = ["opened", "pk"]
        verbose_name = "editor with a record open"
        verbose_name_plural = "editors with a record open"
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "user"], name="one_presence_per_editor_and_record"
            ),
        ]

    def __str__(self):
        return f"{self.user} has {self.content_type.model} {self.object_id} open"
