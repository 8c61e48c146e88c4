"""Admin for articles: editors write Markdown; saving renders it and records what it rests on."""
from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

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
    list_editable = []
    ordering = ["order"]
