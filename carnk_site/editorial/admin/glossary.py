"""Admin for glossary terms."""

from django.contrib import admin
from django.core.exceptions import ValidationError

from carnk_site.core import limits
from carnk_site.core.validation import name_clash_message, name_clashes, name_key, name_length_problem, names_of
from carnk_site.editorial import endpoints
from carnk_site.editorial.admin.base import EditorialAdmin, EditorialForm
from carnk_site.glossary.models import Term
from carnk_site.publishing.contexts import context_from_database
from carnk_site.text.checks import term_findings
from carnk_site.text.rendering import RenderRefused, render


class TermForm(EditorialForm):
    size_limits = {"explanation": limits.TERM_EXPLANATION}

    class Meta:
        model = Term
        fields = ["slug", "term", "aliases", "definition", "explanation"]

    def clean_explanation(self):
        text = self.cleaned_data["explanation"]
        try:
            render(text, context_from_database(text))
        except RenderRefused as exc:
            raise ValidationError(str(exc)) from None
        return text

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("term"):
            names = names_of(cleaned["term"], cleaned.get("aliases") or "")
            others = Term.objects.exclude(pk=self.instance.pk).only("slug", "term", "aliases")
            taken = {name_key(n): t.slug for t in others for n in names_of(t.term, t.aliases)}
            for index, name, other in name_clashes(self.instance.slug, names, taken):
                self.add_error("term" if index == 0 else "aliases", name_clash_message(name, other))
        return cleaned

    def clean_term(self):
        term = self.cleaned_data["term"]
        if problem := name_length_problem(term):
            raise ValidationError(problem)
        return term

    def clean_aliases(self):
        aliases = self.cleaned_data["aliases"]
        problems = [p for line in aliases.splitlines() if (p := name_length_problem(line))]
        if problems:
            raise ValidationError(problems[0])
        return aliases

    def clean_definition(self):
        definition = self.cleaned_data["definition"]
        findings = term_findings(definition)
        if findings:
            raise ValidationError([str(f) for f in findings])
        return definition


@admin.register(Term)
class TermAdmin(EditorialAdmin):
    form = TermForm
    list_display = ["term", "slug", "definition"]
    search_fields = ["term", "aliases", "definition", "slug"]
    prepopulated_fields = {"slug": ["term"]}
    preview_template = "editorial/preview_term.html"
    editor_endpoints = [("search/", "search", endpoints.term_search)]

    def preview_context(self, obj):
        from carnk_site.articles.models import Article

        obj.published_articles = list(obj.articles.filter(status=Article.Status.PUBLISHED))
        return {"term": obj}
