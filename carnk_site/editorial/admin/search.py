"""Admin for what editors keep for search (synonyms, question intents); the index itself is derived, not edited."""

from django.contrib import admin
from django.utils.html import format_html_join
from reversion_compare.admin import CompareVersionAdmin

from carnk_site.editorial.admin.base import PlainLineEndingsForm
from carnk_site.search import engines
from carnk_site.search.intents import lines, parse_section
from carnk_site.search.models import Intent, SearchDocument, SynonymGroup


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


@admin.register(Intent)
class IntentAdmin(CompareVersionAdmin):
    """Question intents: a history of every version (reversion), and where each section leads today."""

    form = PlainLineEndingsForm
    list_display = ["name", "phrase_count", "missing_sections"]
    search_fields = ["name", "phrases", "sections"]
    fields = ["name", "phrases", "sections", "where_sections_lead"]
    readonly_fields = ["where_sections_lead"]

    @admin.display(description="Phrases")
    def phrase_count(self, intent):
        return len(lines(intent.phrases))

    @admin.display(description="Sections not found")
    def missing_sections(self, intent):
        return sum(1 for _line, heading in self._resolved(intent) if heading is None) or "–"

    @admin.display(description="Where the sections lead now")
    def where_sections_lead(self, intent):
        if intent.pk is None:
            return "Shown once saved."
        return format_html_join(
            "",
            "<div>{} → {}</div>",
            (
                (line, "not found: the article or heading has gone" if heading is None else heading)
                for line, heading in self._resolved(intent)
            ),
        )

    def _resolved(self, intent):
        """Return (line, heading or None) for each section line: the published index is the judge."""
        targets = []
        for line in lines(intent.sections):
            try:
                targets.append((line, parse_section(line)))
            except ValueError:
                targets.append((line, None))
        urls = dict(
            SearchDocument.objects.filter(
                kind=SearchDocument.Kind.ARTICLE, url__in=engines.target_urls([t for _l, t in targets if t])
            ).values_list("url", "heading")
        )
        found = []
        for line, target in targets:
            url = engines.target_urls([target])[0] if target else None
            found.append((line, (urls[url] or "the article's opening") if url in urls else None))
        return found
