"""Model pieces the content apps share (no models of their own)."""

import uuid

from django.db import models

SLUG_HELP = "Short id used in links, e.g. mda-cd19-response. Lower-case words joined by hyphens. Do not change it once published."


def new_edit_token():
    return uuid.uuid4().hex


class EditTokenMixin(models.Model):
    """A token that changes on every save, so a form opened earlier can tell it is out of date.

    Only `save()` renews it: the publishing pipeline writes derived fields with bulk updates, so
    refreshing an article never makes an editor's open form look out of date.
    """

    edit_token = models.CharField(max_length=32, default=new_edit_token, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.edit_token = new_edit_token()
        super().save(*args, **kwargs)
