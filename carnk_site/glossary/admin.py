"""Admin for glossary terms."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from carnk_site.articles.checks import term_findings
from carnk_site.articles.publishing import context_from_database
from carnk_site.articles.rendering import MAX_NAME_LENGTH, RenderRefused, render
from carnk_site.editorial.admin_base import EditorialAdmin, EditorialForm

from .models import Term


class TermForm(EditorialForm):
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

    def clean_term(self):
        term = self.cleaned_data["term"]
        if len(term) > MAX_NAME_LENGTH:
            raise ValidationError(
                _("A glossary name is at most %(limit)s characters long.") % {"limit": MAX_NAME_LENGTH}
            )
        return term

    def clean_aliases(self):
        aliases = self.cleaned_data["aliases"]
        long = [line.strip() for line in aliases.splitlines() if len(line.strip()) > MAX_NAME_LENGTH]
        if long:
            message = _("Each name is at most %(limit)s characters long; this one is %(length)s: “%(start)s…”.")
            raise ValidationError(message % {"limit": MAX_NAME_LENGTH, "length": len(long[0]), "start": long[0][:40]})
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

    def save_model(self, request, obj, form, change):
        """Re-render every article: a new name changes which words link here."""
        super().save_model(request, obj, form, change)
        from carnk_site.articles.models import Article

        for article in Article.objects.all():
            article.save()

    def preview_context(self, obj):
        from carnk_site.articles.models import Article

        obj.published_articles = list(obj.articles.filter(status=Article.Status.PUBLISHED))
        return {"term": obj}
