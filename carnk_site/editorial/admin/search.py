"""Admin for the synonyms editors keep; the index itself is derived and not edited by hand."""

from django.contrib import admin
from reversion_compare.admin import CompareVersionAdmin

from carnk_site.editorial.admin.base import PlainLineEndingsForm
from carnk_site.search.models import SynonymGroup


@admin.register(SynonymGroup)
class SynonymGroupAdmin(CompareVersionAdmin):
    form = PlainLineEndingsForm
    list_display = ["words", "from_glossary"]
    search_fields = ["words"]
    list_filter = [("term", admin.EmptyFieldListFilter)]
    fields = ["words"]

    @admin.display(boolean=True, description="From the glossary")
    def from_glossary(self, group):
        return group.term_id is not None

    def get_readonly_fields(self, request, obj=None):
        # A glossary term's own names are kept from its aliases: edit the term instead.
        return ["words"] if obj is not None and obj.term_id else []
