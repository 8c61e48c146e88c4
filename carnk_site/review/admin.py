"""Clinical review in the admin: reviewer profiles, approvals, comments on the article page, "Approve this version".

The article admin is extended here rather than in the articles app, so sign-off stays one concern
in one place: publishing needs a matching approval, and the change page shows comments and approvals.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from carnk_site.articles.admin import ArticleAdmin
from carnk_site.articles.models import Article
from carnk_site.editorial.overview import overview_context
from carnk_site.editorial.roles import is_reviewer

from . import signoff
from .models import Approval, ReviewComment, ReviewerProfile

NOT_APPROVED = _(
    "A clinical reviewer has not approved this text yet, so it cannot be published. Save it as “In review”;"
    " a clinical reviewer who did not write it can then approve it, and you can publish."
)


@admin.register(ReviewerProfile)
class ReviewerProfileAdmin(admin.ModelAdmin):
    list_display = ["display_name", "credentials", "role", "user"]
    search_fields = ["display_name", "role", "user__username"]
    autocomplete_fields = ["user"]


@admin.register(Approval)
class ApprovalAdmin(admin.ModelAdmin):
    """The sign-off history: read-only, because an approval is a record of what happened."""

    list_display = ["article", "reviewer", "created", "version"]
    list_filter = ["reviewer"]
    search_fields = ["article__title", "comment"]
    readonly_fields = ["article", "reviewer", "comment", "content_hash", "version", "created"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReviewedArticleForm(ArticleAdmin.form):
    previewing = False  # a preview publishes nothing, so it needs no approval

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Article.Status.PUBLISHED and not self.previewing:
            if not signoff.approved_for_publishing(self.instance, cleaned):
                self.add_error("status", NOT_APPROVED)
        return cleaned


class ApproveForm(forms.Form):
    comment = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Anything the writer should know. Kept with the approval or sent as a comment; never shown to readers."
        ),
    )


class ReviewedArticleAdmin(ArticleAdmin):
    form = ReviewedArticleForm
    change_form_template = "review/article_change_form.html"
    base_change_form_template = ArticleAdmin.change_form_template

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if self._is_preview(request):
            return type(form.__name__, (form,), {"previewing": True})
        return form

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["base_change_form_template"] = self.base_change_form_template
        if obj is not None and obj.pk:
            context["approvals"] = obj.approvals.select_related("reviewer")[:10]
            context["current_approval"] = signoff.matching_approval(obj)
            context["can_approve"] = is_reviewer(request.user)
            context["review_comments"] = obj.review_comments.select_related("author")
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        approve = self.admin_site.admin_view(self.approve_view)
        return [path("<int:pk>/review/", approve, name="articles_article_approve"), *super().get_urls()]

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

    def overview_view(self, request):
        context = {
            **self.admin_site.each_context(request),
            "title": _("Editorial overview"),
            **overview_context(user=request.user),
        }
        return TemplateResponse(request, "editorial/overview.html", context)


admin.site.unregister(Article)
admin.site.register(Article, ReviewedArticleAdmin)
