"""Admin for articles: editors write Markdown; saving renders it and records what it rests on."""
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join

from .checks import findings_for_article

from .models import Article
from .publishing import render_article
from .rendering import UnknownReferences


class ArticleForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = ["title", "slug", "summary", "status", "order", "last_reviewed", "next_review_due", "key_points", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 30}), "key_points": forms.Textarea(attrs={"rows": 5})}

    def clean(self):
        cleaned = super().clean()
        probe = Article(body=cleaned.get("body") or "", key_points=cleaned.get("key_points") or "")
        try:
            render_article(probe)
        except UnknownReferences as exc:
            raise ValidationError({"body": str(exc)}) from None
        due, reviewed = cleaned.get("next_review_due"), cleaned.get("last_reviewed")
        if due and reviewed and due <= reviewed:
            self.add_error("next_review_due", "The next review must come after the last review.")
        return cleaned


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
    list_display = ["title", "status", "order", "last_reviewed", "next_review_due"]
    list_filter = ["status", "sources"]
    search_fields = ["title", "summary", "body", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    ordering = ["order"]
    readonly_fields = ["editorial_checks"]

    @admin.display(description="Editorial checks")
    def editorial_checks(self, obj):
        """Show the same checks the tests and loadcontent run, as warnings to fix before publishing."""
        if obj is None or not obj.pk:
            return "Save as a draft to see the checks."
        findings = findings_for_article(obj)
        if not findings:
            return "All checks pass: readability, numbers, wording, glossary, quotations and structure."
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((str(f),) for f in findings)))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        for finding in findings_for_article(obj):
            messages.warning(request, f"{obj.title}: {finding}")
