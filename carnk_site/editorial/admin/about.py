"""Trust pages in the admin, with history, change notes and conflict-safe saves like every other record."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from carnk_site.about.models import TrustPage, render_page_body
from carnk_site.editorial.admin.base import EditorialAdmin, EditorialForm
from carnk_site.text.rendering import UnknownReferences


class TrustPageForm(EditorialForm):
    class Meta:
        model = TrustPage
        fields = ["title", "slug", "summary", "body"]

    def clean_body(self):
        body = self.cleaned_data["body"]
        try:
            render_page_body(body)
        except UnknownReferences as exc:
            raise ValidationError(
                _("%(error)s Claim and glossary links only work in articles.") % {"error": exc}
            ) from None
        return body


@admin.register(TrustPage)
class TrustPageAdmin(EditorialAdmin):
    form = TrustPageForm
    list_display = ["title", "slug", "updated"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}
