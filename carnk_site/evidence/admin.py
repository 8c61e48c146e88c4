"""Admin for sources and claims, with citations edited inline under their claim."""
from django.contrib import admin, messages

from carnk_site.articles.checks import claim_findings

from .models import Citation, Claim, Source


class CitationInline(admin.StackedInline):
    model = Citation
    extra = 1
    min_num = 1
    autocomplete_fields = ["source"]
    fields = ["source", "quote", "position"]


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ["slug", "statement", "evidence", "participants"]
    list_filter = ["evidence", "citations__source"]
    search_fields = ["slug", "statement", "citations__quote"]
    inlines = [CitationInline]
    fields = ["slug", "statement", "evidence", "participants"]

    def save_related(self, request, form, formsets, change):
        """Re-render the articles that rest on this claim, so its label stays true."""
        super().save_related(request, form, formsets, change)
        for finding in claim_findings(form.instance.statement, form.instance.evidence):
            messages.warning(request, f"{form.instance.slug}: {finding}")
        for article in form.instance.articles.all():
            article.save()


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["short_name", "kind", "commercial", "publisher", "date"]
    list_filter = ["commercial"]
    search_fields = ["slug", "title", "short_name", "publisher", "author", "text"]
    prepopulated_fields = {"slug": ["short_name"]}
    fieldsets = [
        (None, {"fields": ["slug", "short_name", "kind", "commercial", "interests"]}),
        ("What the document states about itself", {"fields": ["title", "publisher", "author", "date"]}),
        ("Archived text", {"fields": ["text"]}),
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        for article in obj.articles.all():
            article.save()
