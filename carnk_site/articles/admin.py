"""Admin for articles: editors write Markdown; saving renders it and records what it rests on."""

import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html, format_html_join

from carnk_site.core import limits
from carnk_site.core.validation import review_dates_problem
from carnk_site.editorial import endpoints
from carnk_site.editorial.admin_base import EditorialAdmin, EditorialForm
from carnk_site.editorial.overview import overview_context
from carnk_site.publishing.records import render_article

from .checks import findings_for_article
from .models import Article
from .rendering import RenderRefused
from .views import neighbours


class ArticleForm(EditorialForm):
    size_limits = {"body": limits.ARTICLE_BODY, "key_points": limits.ARTICLE_KEY_POINTS}

    class Meta:
        model = Article
        fields = [
            "title",
            "slug",
            "summary",
            "status",
            "order",
            "last_reviewed",
            "next_review_due",
            "key_points",
            "body",
        ]
        widgets = {"body": forms.Textarea(attrs={"rows": 30}), "key_points": forms.Textarea(attrs={"rows": 5})}

    def clean(self):
        cleaned = super().clean()
        probe = Article(body=cleaned.get("body") or "", key_points=cleaned.get("key_points") or "")
        try:
            render_article(probe)
        except RenderRefused as exc:  # unknown claims or terms, or text beyond the limits
            raise ValidationError({"body": str(exc)}) from None
        if cleaned.get("status") == Article.Status.PUBLISHED:
            findings = findings_for_article(probe)
            if findings:
                raise ValidationError(
                    ["Fix these before publishing (or save as draft or in review):"] + [str(f) for f in findings]
                )
        problem = review_dates_problem(cleaned.get("last_reviewed"), cleaned.get("next_review_due"))
        if problem:
            self.add_error("next_review_due", problem)
        return cleaned


class ReviewDueFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("overdue", "Overdue for review"), ("soon", "Due within 30 days")]

    def queryset(self, request, queryset):
        today = datetime.date.today()
        if self.value() == "overdue":
            return queryset.review_overdue(today)
        if self.value() == "soon":
            return queryset.filter(next_review_due__gte=today, next_review_due__lte=today + datetime.timedelta(days=30))
        return queryset


@admin.register(Article)
class ArticleAdmin(EditorialAdmin):
    form = ArticleForm
    list_display = ["title", "status", "order", "last_reviewed", "next_review_due"]
    list_filter = ["status", ReviewDueFilter, "sources"]
    search_fields = ["title", "summary", "body", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    ordering = ["order"]
    readonly_fields = ["editorial_checks"]
    preview_template = "editorial/preview_article.html"
    editor_endpoints = [("render-preview/", "render_preview", endpoints.render_preview)]

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

    def preview_context(self, obj):
        return {"article": obj, "preview": True, "changes": [], **neighbours(obj)}

    def get_urls(self):
        overview = self.admin_site.admin_view(self.overview_view)
        return [path("overview/", overview, name="articles_article_overview"), *super().get_urls()]

    def overview_view(self, request):
        """What needs an editor's attention: reviews due, drafts, claims to re-check, unexported edits."""
        context = {**self.admin_site.each_context(request), "title": "Editorial overview", **overview_context()}
        return TemplateResponse(request, "editorial/overview.html", context)
