"""Admin for articles: editors write Markdown, clinicians sign it off; saving renders it once.

The form renders the text and runs the editorial checks once, in `clean`; the saved article
carries that rendering to the publishing pipeline (which then does not render it again) and the
findings to the warnings shown after the save.
"""

import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from carnk_site.articles.models import Article
from carnk_site.core import limits
from carnk_site.core.validation import review_dates_problem
from carnk_site.editorial import endpoints
from carnk_site.editorial.admin.base import EditorialAdmin, EditorialForm
from carnk_site.editorial.checks import findings_for_article
from carnk_site.editorial.overview import overview_context
from carnk_site.editorial.roles import is_reviewer
from carnk_site.publishing.records import carry_rendering, render_article
from carnk_site.reader.articles import neighbours
from carnk_site.review import signoff
from carnk_site.review.models import ReviewComment
from carnk_site.text.rendering import RenderRefused

NOT_APPROVED = _(
    "A clinical reviewer has not approved this text yet, so it cannot be published. Save it as “In review”;"
    " a clinical reviewer who did not write it can then approve it, and you can publish."
)


class ArticleForm(EditorialForm):
    size_limits = {"body": limits.ARTICLE_BODY, "key_points": limits.ARTICLE_KEY_POINTS}
    previewing = False  # a preview publishes nothing, so it needs no approval

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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rendered = self.references = None
        self.findings = []

    def clean(self):
        cleaned = super().clean()
        rendered = Article(body=cleaned.get("body") or "", key_points=cleaned.get("key_points") or "")
        try:
            references = render_article(rendered)
        except RenderRefused as exc:  # unknown claims or terms, or text beyond the limits
            raise ValidationError({"body": str(exc)}) from None
        self.rendered, self.references, self.findings = rendered, references, findings_for_article(rendered)
        if cleaned.get("status") == Article.Status.PUBLISHED:
            if self.findings:
                raise ValidationError(
                    ["Fix these before publishing (or save as draft or in review):"] + [str(f) for f in self.findings]
                )
            if not self.previewing and not signoff.approved_for_publishing(self.instance, cleaned):
                self.add_error("status", NOT_APPROVED)
        problem = review_dates_problem(cleaned.get("last_reviewed"), cleaned.get("next_review_due"))
        if problem:
            self.add_error("next_review_due", problem)
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        if self.rendered is not None:
            carry_rendering(self.rendered, self.references, self.instance)


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


class ApproveForm(forms.Form):
    comment = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Anything the writer should know. Kept with the approval or sent as a comment; never shown to readers."
        ),
    )


@admin.register(Article)
class ArticleAdmin(EditorialAdmin):
    form = ArticleForm
    list_display = ["title", "status", "order", "last_reviewed", "next_review_due"]
    list_filter = ["status", ReviewDueFilter, "sources"]
    search_fields = ["title", "summary", "body", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    ordering = ["order"]
    readonly_fields = ["editorial_checks"]
    change_form_template = "review/article_change_form.html"
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

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if self._is_preview(request):
            return type(form.__name__, (form,), {"previewing": True})
        return form

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        for finding in form.findings:
            messages.warning(request, f"{obj.title}: {finding}")

    def preview_context(self, obj):
        return {"article": obj, "preview": True, "changes": [], **neighbours(obj)}

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["base_change_form_template"] = EditorialAdmin.change_form_template
        if obj is not None and obj.pk:
            context["approvals"] = obj.approvals.select_related("reviewer")[:10]
            context["current_approval"] = signoff.matching_approval(obj)
            context["can_approve"] = is_reviewer(request.user)
            context["review_comments"] = obj.review_comments.select_related("author")
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        overview = self.admin_site.admin_view(self.overview_view)
        approve = self.admin_site.admin_view(self.approve_view)
        return [
            path("overview/", overview, name="articles_article_overview"),
            path("<int:pk>/review/", approve, name="articles_article_approve"),
            *super().get_urls(),
        ]

    def overview_view(self, request):
        """What needs an editor's attention: reviews due, drafts, claims to re-check, unexported edits."""
        context = {
            **self.admin_site.each_context(request),
            "title": _("Editorial overview"),
            **overview_context(user=request.user),
        }
        return TemplateResponse(request, "editorial/overview.html", context)

    def approve_view(self, request, pk):
        """Show the saved text: a reviewer approves it or comments; a writer answers with a comment."""
        article = get_object_or_404(Article, pk=pk)
        reviewer = is_reviewer(request.user)
        if not (reviewer or request.user.has_perm("review.add_reviewcomment")):
            raise PermissionDenied
        form = ApproveForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            comment = form.cleaned_data["comment"].strip()
            if "_approve" in request.POST:
                if not reviewer:
                    raise PermissionDenied
                self._approve(request, article, comment)
            elif comment:
                ReviewComment.objects.create(article=article, author=request.user, text=comment)
                messages.success(request, _("Your comment was added. It is shown on the article's page in the admin."))
            else:
                messages.error(request, _("Write a comment for the writer, or approve this version."))
                return redirect(reverse("admin:articles_article_approve", args=[article.pk]))
            return redirect(reverse("admin:articles_article_change", args=[article.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Review “%(title)s”") % {"title": article.title},
            "can_approve": reviewer,
            "article": article,
            "form": form,
            "version": signoff.latest_version(article),
            "already": signoff.matching_approval(article),
            "comments": article.review_comments.select_related("author"),
            "opts": self.opts,
        }
        return TemplateResponse(request, "review/approve.html", context)

    @staticmethod
    def _approve(request, article, comment):
        try:
            signoff.approve(article, request.user, comment)
        except signoff.ApprovalRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request,
                _("You approved this version of “%(title)s”. The writer can now publish it.")
                % {"title": article.title},
            )
