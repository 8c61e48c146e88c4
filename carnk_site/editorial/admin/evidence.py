"""Admin for sources and claims, with citations edited inline under their claim."""

from django.contrib import admin, messages
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carnk_site.core import limits
from carnk_site.editorial import endpoints
from carnk_site.editorial.admin.base import EditorialAdmin, EditorialForm, SizeLimitedForm
from carnk_site.evidence.models import Citation, Claim, Source
from carnk_site.publishing.contexts import context_from_database
from carnk_site.text.checks import claim_findings, label_findings
from carnk_site.text.rendering import literal, render
from carnk_site.text.sanitise import trusted


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
        fields = ["slug", "statement", "statement_kind", "about", "evidence", "participants", "participants_stated"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The selects always send a value (no blank choice); a request without them keeps the
        # model's default, and the model's clean() holds the kind-of-statement rule either way.
        for name in ("statement_kind", "about", "participants_stated"):
            if name in self.fields:
                self.fields[name].required = False

    def clean(self):
        cleaned = super().clean()
        for finding in claim_findings(cleaned.get("statement") or "", cleaned.get("evidence")):
            self.add_error("statement", str(finding))
        return cleaned


def label_warnings(claim):
    """Return the label checks that would stop an article resting on this claim from being published."""
    quotes = [c.quote for c in claim.citations.all()]
    return label_findings(
        claim.statement, claim.evidence, claim.participants, quotes, claim.statement_kind, claim.participants_stated
    )


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
    list_display = ["slug", "statement", "statement_kind", "about", "evidence", "participants"]
    list_filter = ["statement_kind", "about", "evidence", SourceChangedFilter, "citations__source"]
    search_fields = ["slug", "statement", "citations__quote"]
    inlines = [CitationInline]
    actions = ["mark_checked"]
    preview_template = "editorial/preview_claim.html"
    readonly_fields = ["label_as_readers_see_it"]

    @admin.display(description=_("Label, as readers see it"))
    def label_as_readers_see_it(self, obj):
        """Show the label readers will see after the claim's words, and what would stop publishing."""
        if obj is None or not obj.pk:
            return _("Save the claim with its citations to see its label.")
        return render_to_string("evidence/_label_admin.html", {"claim": obj, "warnings": label_warnings(obj)})

    editor_endpoints = [("search/", "search", endpoints.claim_search)]

    @admin.action(description="Mark the quotes of the selected claims as checked against their sources")
    def mark_checked(self, request, queryset):
        count = Citation.objects.filter(claim__in=queryset).update(checked_at=timezone.now())
        messages.success(request, f"{count} quotes marked as checked.")

    def preview_context(self, obj):
        text = f"[{literal(obj.statement)}](claim:{obj.slug})"  # the statement's own brackets stay text
        sample = render(text, context_from_database(f"](claim:{obj.slug})"))
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
            "teller",
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
    list_display = ["short_name", "kind", "commercial", "teller", "publisher", "date"]
    list_filter = ["commercial", "teller"]
    search_fields = ["slug", "title", "short_name", "publisher", "author", "text"]
    prepopulated_fields = {"slug": ["short_name"]}
    preview_template = "editorial/preview_source.html"
    editor_endpoints = [
        ("text/", "text", endpoints.source_text),
        ("quote-check/", "quote_check", endpoints.quote_check),
    ]
    fieldsets = [
        (None, {"fields": ["slug", "short_name", "kind", "commercial", "teller", "interests"]}),
        ("What the document states about itself", {"fields": ["title", "publisher", "author", "date"]}),
        ("Archived text", {"fields": ["text"]}),
        ("About this change", {"fields": ["change_note", "seen_edit_token"]}),
    ]

    def preview_context(self, obj):
        citations = Citation.objects.filter(source=obj).select_related("claim").order_by("claim__slug", "position")
        return {"source": obj, "citations": citations}
