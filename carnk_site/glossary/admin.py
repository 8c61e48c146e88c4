"""Admin for glossary terms."""
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django import forms

from carnk_site.articles.publishing import context_from_database
from carnk_site.articles.rendering import UnknownReferences, render

from carnk_site.articles.checks import term_findings

from .models import Term


class TermForm(forms.ModelForm):
    class Meta:
        model = Term
        fields = ["slug", "term", "aliases", "definition", "explanation"]

    def clean_explanation(self):
        text = self.cleaned_data["explanation"]
        try:
            render(text, context_from_database(text))
        except UnknownReferences as exc:
            raise ValidationError(str(exc)) from None
        return text


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    form = TermForm
    list_display = ["term", "slug", "definition"]
    search_fields = ["term", "aliases", "definition", "slug"]
    prepopulated_fields = {"slug": ["term"]}

    def save_model(self, request, obj, form, change):
        """Re-render every published page: a new name changes which words link here."""
        super().save_model(request, obj, form, change)
        for finding in term_findings(obj.definition):
            messages.warning(request, f"{obj.term}: {finding}")
        from carnk_site.articles.models import Article

        for article in Article.objects.all():
            article.save()
