"""Admin for sources and claims, with citations edited inline under their claim."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carnk_site.articles.checks import claim_findings
from carnk_site.articles.publishing import context_from_database
from carnk_site.articles.rendering import render, trusted
from carnk_site.editorial import endpoints, limits
from carnk_site.editorial.admin_base import EditorialAdmin, EditorialForm, SizeLimitedForm

from .models import Citation, Claim, Source


class CitationForm(SizeLimitedForm):
    size_limits = {"quote": limits.CITATION_QUOTE}


class CitationInline(admin.StackedInline):
    model = Citation
    form = CitationForm
    extra = 0
    min_num = 1
    validate_min = True
    autocomplete_fields = ["source"]
    fields = ["source", "quote", "position"]


class ClaimForm(EditorialForm):
    size_limits = {"statement": limits.CLAIM_STATEMENT}

    class Meta:
        model = Claim
        fields = ["slug", "statement", "evidence", "participants"]

    def clean(self):
        cleaned = super().clean()
        for finding in claim_findings(cleaned.get("statement") or "", cleaned.get("evidence")):
            self.add_error("statement", str(finding))
        return cleaned


class SourceChangedFilter(admin.SimpleListFilter):
    title = "source check"
    parameter_name = "recheck"

    def lookups(self, request, model_admin):
        return [("needed", "Source changed since last checked")]

    def queryset(self, request, queryset):
        return queryset.source_changed_since_checked() if self.value() == "needed" else queryset


@admin.register(Claim)
class ClaimAdmin(EditorialAdmin):
    form = ClaimForm
    list_display = ["slug", "statement", "evidence", "participants"]
    list_filter = ["evidence", SourceChangedFilter, "citations__source"]
    search_fields = ["slug", "statement", "citations__quote"]
    inlines = [CitationInline]
    actions = ["mark_checked"]
    preview_template = "editorial/preview_claim.html"
    editor_endpoints = [("search/", "search", endpoints.claim_search)]

    @admin.action(description="Mark the quotes of the selected claims as checked against their sources")
    def mark_checked(self, request, queryset):
        count = Citation.objects.filter(claim__in=queryset).update(checked_at=timezone.now())
        messages.success(request, f"{count} quotes marked as checked.")

    def save_related(self, request, form, formsets, change):
        """Re-render the articles that rest on this claim, so its label stays true."""
        super().save_related(request, form, formsets, change)
        for article in form.instance.articles.all():
            article.save()

    def preview_context(self, obj):
        sample = render(f"[{obj.statement}](claim:{obj.slug})", context_from_database(f"](claim:{obj.slug})"))
        return {"object": obj, "sample": trusted(sample.html), "articles": obj.articles.all()}


class SourceForm(EditorialForm):
    size_limits = {"text": limits.SOURCE_TEXT}

    class Meta:
        model = Source
        fields = [
            "slug",
            "short_name",
            "kind",
            "commercial",
            "interests",
            "title",
            "publisher",
            "author",
            "date",
            "text",
        ]
        help_texts = {
            "text": _(
                "Paste the document's article text verbatim: every word as published, in order. Leave out"
                " navigation, menus, adverts, cookie notices and readers' comments, but keep everything that"
                " shows it is commercial (prices, offers, contact and booking lines). Quotes are checked"
                " against this text word for word."
            ),
            "kind": _(
                "What kind of document this is, in plain words, e.g. 'Medical news article' or 'Clinic's sales page'."
            ),
            "commercial": _(
                "Tick if the publisher sells access to treatment (or consultations, travel or booking for it)."
                " Readers see it marked as commercial wherever it is cited."
            ),
            "interests": _(
                "One plain sentence on what the publisher has to gain from readers, e.g. 'Sells treatment"
                " packages and consultations.'"
            ),
        }


@admin.register(Source)
class SourceAdmin(EditorialAdmin):
    form = SourceForm
    list_display = ["short_name", "kind", "commercial", "publisher", "date"]
    list_filter = ["commercial"]
    search_fields = ["slug", "title", "short_name", "publisher", "author", "text"]
    prepopulated_fields = {"slug": ["short_name"]}
    preview_template = "editorial/preview_source.html"
    editor_endpoints = [
        ("text/", "text", endpoints.source_text),
        ("quote-check/", "quote_check", endpoints.quote_check),
    ]
    fieldsets = [
        (None, {"fields": ["slug", "short_name", "kind", "commercial", "interests"]}),
        ("What the document states about itself", {"fields": ["title", "publisher", "author", "date"]}),
        ("Archived text", {"fields": ["text"]}),
        ("About this change", {"fields": ["change_note", "seen_edit_token"]}),
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        for article in obj.articles.all():
            article.save()

    def preview_context(self, obj):
        citations = Citation.objects.filter(source=obj).select_related("claim").order_by("claim__slug", "position")
        return {"source": obj, "citations": citations}
