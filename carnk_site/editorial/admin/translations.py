"""Translations in the admin: the English beside the translation, whether it has caught up, approval by language.

A translation is saved as a draft. It reaches readers only when a clinical reviewer with its
language on their profile approves its text (the "Approve" action, as the signed-in reviewer);
any later edit needs a new approval. "It now matches the English" is the editor's statement that
the translation has caught up with the current English; until then the page says it has not.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from carnk_site.editorial.admin.base import PlainLineEndingsForm
from carnk_site.reader.articles import neighbours
from carnk_site.review.signoff import shown_approval
from carnk_site.translations.models import (
    ArticleTranslation,
    ClaimTranslation,
    LanguageReviewer,
    PageTranslation,
    TermTranslation,
)
from carnk_site.translations.reading import ARTICLE_FIELDS, ReaderTranslation


@admin.register(LanguageReviewer)
class LanguageReviewerAdmin(admin.ModelAdmin):
    """Which clinical reviewers may approve translations into which language: only people who really are fluent."""

    form = PlainLineEndingsForm
    list_display = ["reviewer", "language"]
    list_filter = ["language"]
    autocomplete_fields = ["reviewer"]


class TranslationForm(PlainLineEndingsForm):
    matches_english = forms.BooleanField(
        label=_("It now matches the English"),
        required=False,
        help_text=_(
            "Tick when this translation says everything the current English says. Until then readers are told "
            "the English changed and this translation has not caught up."
        ),
    )


class TranslationAdmin(admin.ModelAdmin):
    form = TranslationForm
    list_filter = ["language"]
    actions = ["approve"]
    readonly_fields = ["english_beside", "state"]
    # The editor tools' claim and term pickers (static/admin-editor/editor.js), asked in the translation's language.
    change_form_template = "editorial/change_form.html"

    class Media:
        css = {"all": ["admin-editor/editor.css"]}
        js = ["admin-editor/editor.js"]

    def get_fields(self, request, obj=None):
        english = self.model.ENGLISH
        own = [name for name in self.model.TEXT_FIELDS if name != "method"]
        return [english, "language", "english_beside", "state", "method", *own, "matches_english"]

    @admin.display(description=_("English and translation, field by field"))
    def english_beside(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        english_names = obj.ENGLISH_FIELDS
        own_names = [name for name in obj.TEXT_FIELDS if name != "method"]
        rows = format_html_join(
            "",
            '<tr><th scope="row">{}</th><td lang="en" style="white-space:pre-wrap;width:45%">{}</td>'
            '<td lang="{}" style="white-space:pre-wrap;width:45%">{}</td></tr>',
            (
                (name, getattr(obj.english, name), obj.language, getattr(obj, own))
                for name, own in zip(english_names, own_names, strict=False)
            ),
        )
        return format_html('<table class="english-beside"><tbody>{}</tbody></table>', rows)

    @admin.display(description=_("State"))
    def state(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        parts = [
            _("Made from the English as it is now.")
            if obj.is_current
            else _("The English changed since: not caught up."),
            _("Approved by %(reviewer)s.") % {"reviewer": obj.approved_by}
            if obj.is_approved
            else _("Not approved: readers do not see it."),
        ]
        return " ".join(str(p) for p in parts)

    def save_model(self, request, obj, form, change):
        if form.cleaned_data.get("matches_english"):
            obj.matches_english_now()
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Approve the selected translations (as the signed-in clinical reviewer)"))
    def approve(self, request, queryset):
        profile = getattr(request.user, "reviewer_profile", None)
        if profile is None:
            self.message_user(request, _("Only a clinical reviewer can approve a translation."), messages.ERROR)
            return
        for item in queryset:
            try:
                item.approve(profile)
            except ValidationError as exc:
                self.message_user(request, f"{item}: {' '.join(exc.messages)}", messages.ERROR)
            else:
                self.message_user(request, _("%(item)s approved.") % {"item": item}, messages.SUCCESS)


@admin.register(ArticleTranslation)
class ArticleTranslationAdmin(TranslationAdmin):
    list_display = ["article", "language", "title", "updated"]
    search_fields = ["title", "body", "article__title"]
    autocomplete_fields = ["article"]

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        return [path("<int:pk>/preview/", preview, name="translations_articletranslation_preview"), *super().get_urls()]

    def preview_view(self, request, pk):
        """The reader's page with this translation, approved or not, for the translator and reviewer to check."""
        found = ArticleTranslation.objects.select_related("article", "approved_by__reviewer").filter(pk=pk).first()
        if found is None or not self.has_view_permission(request, found):
            raise Http404
        article = found.article
        shown = ReaderTranslation(found.language, article, found, not found.is_current)
        for english_name, translated_name in ARTICLE_FIELDS.items():
            setattr(article, english_name, getattr(found, translated_name))
        with translation.override(found.language):
            context = {
                "article": article,
                "shown_language": shown,
                "approval": shown_approval(article),
                "changes": [],
                "preview": True,
                **neighbours(article),
            }
            response = render(request, "editorial/preview_article.html", context)
        return response


@admin.register(ClaimTranslation)
class ClaimTranslationAdmin(TranslationAdmin):
    list_display = ["claim", "language", "statement", "updated"]
    search_fields = ["statement", "claim__slug", "claim__statement"]
    autocomplete_fields = ["claim"]

    @admin.display(description=_("English and translation, field by field"))
    def english_beside(self, obj):
        """The statement, then each English quote with our translation of it (or a dash), side by side."""
        table = super().english_beside(obj)
        if obj is None or obj.pk is None:
            return table
        ours = obj.quote_translations()
        rows = format_html_join(
            "",
            '<tr><th scope="row">{}</th><td lang="en" style="white-space:pre-wrap;width:45%">{}</td>'
            '<td lang="{}" style="white-space:pre-wrap;width:45%">{}</td></tr>',
            ((_("quote"), quote, obj.language, ours.get(quote, "—")) for quote in obj.english_quotes()),
        )
        return format_html('{}<table class="english-beside"><tbody>{}</tbody></table>', table, rows)


@admin.register(TermTranslation)
class TermTranslationAdmin(TranslationAdmin):
    list_display = ["term", "language", "name", "updated"]
    search_fields = ["name", "definition", "term__term"]
    autocomplete_fields = ["term"]


@admin.register(PageTranslation)
class PageTranslationAdmin(TranslationAdmin):
    list_display = ["page", "language", "title", "updated"]
    search_fields = ["title", "body", "page__title"]
    autocomplete_fields = ["page"]
