"""Admin for articles: editors write Markdown, clinicians sign it off; saving renders it once.

The form renders the text and runs the editorial checks once, in `clean`; the saved article
carries that rendering to the publishing pipeline (which then does not render it again) and the
findings to the warnings shown after the save.
"""

import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Subquery
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
from carnk_site.publishing.records import carry_rendering, render_article
from carnk_site.reader.articles import neighbours
from carnk_site.review import moderation, signoff
from carnk_site.review.models import ReviewComment, Revision
from carnk_site.review.roles import is_reviewer
from carnk_site.text.diff import changed, word_diff
from carnk_site.text.rendering import RenderRefused

SUBMIT = "_submit"
# The article's own fields an editor changes directly on a live article (its text goes to a revision).
PAGE_FIELDS = ("slug", "order", "last_reviewed", "next_review_due")
NOT_APPROVED = _(
    "A clinical reviewer has not approved this text yet, so it cannot be published. Save it as “In review”;"
    " a clinical reviewer who did not write it can then approve it, and you can publish."
)


class ArticleForm(EditorialForm):
    size_limits = {"body": limits.ARTICLE_BODY, "key_points": limits.ARTICLE_KEY_POINTS}
    previewing = False  # a preview publishes nothing, so it needs no approval
    go_live_at = forms.DateTimeField(
        required=False,
        widget=forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"}),
        label=_("Go live at"),
        help_text=_("Optional: when an approved change should reach readers. Empty: as soon as it is approved."),
    )

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
        revision = getattr(self.instance, "open_revision", None)
        if revision is not None:
            self.fields["go_live_at"].initial = revision.go_live_at

    def current_edit_token(self):
        """A live article's text is edited in its open revision, so that revision's token is the one to match."""
        revision = getattr(self.instance, "open_revision", None)
        if revision is not None:
            return (
                Revision.objects.select_for_update().filter(pk=revision.pk).values_list("edit_token", flat=True).first()
            )
        return super().current_edit_token()

    @property
    def live(self):
        """Return True if the article is published: then saving keeps readers on the live text."""
        return self.instance.pk is not None and getattr(self.instance, "live_text", None) is not None

    def clean(self):
        cleaned = super().clean()
        rendered = Article(body=cleaned.get("body") or "", key_points=cleaned.get("key_points") or "")
        try:
            references = render_article(rendered)
        except RenderRefused as exc:  # unknown claims or terms, or text beyond the limits
            raise ValidationError({"body": str(exc)}) from None
        self.rendered, self.references, self.findings = rendered, references, findings_for_article(rendered)
        if self.live and not self.previewing:
            if SUBMIT in self.data and self.findings:
                raise ValidationError(
                    [_("Fix these before submitting this change for review:")] + [str(f) for f in self.findings]
                )
        elif cleaned.get("status") == Article.Status.PUBLISHED:
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
    list_display = ["title", "publication", "order", "last_reviewed", "next_review_due"]
    list_filter = ["status", ReviewDueFilter, "sources"]
    search_fields = ["title", "summary", "body", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    ordering = ["order"]
    readonly_fields = ["editorial_checks"]
    change_form_template = "review/article_change_form.html"
    preview_template = "editorial/preview_article.html"
    editor_endpoints = [("render-preview/", "render_preview", endpoints.render_preview)]

    @admin.display(description=_("Status"), ordering="status")
    def publication(self, obj):
        """Say at a glance whether readers see the page and whether a change is waiting."""
        state = obj.get_status_display()
        waiting = getattr(obj, "waiting_state", None)
        if waiting:
            return _("%(status)s · changes: %(waiting)s") % {
                "status": state,
                "waiting": Revision.State(waiting).label,
            }
        return state

    def get_queryset(self, request):
        open_state = Revision.objects.open().filter(article=OuterRef("pk")).values("state")[:1]
        return super().get_queryset(request).annotate(waiting_state=Subquery(open_state))

    def _reversion_revisionform_view(self, request, version, template_name, extra_context=None):
        """Restoring an old version of a published article drafts it as a change, reviewed like any other."""
        article = Article.objects.filter(pk=version.object_id).first()
        if article is not None and article.status == Article.Status.PUBLISHED:
            request.live_before_restore = moderation.live_text(article)
        return super()._reversion_revisionform_view(request, version, template_name, extra_context)

    def get_object(self, request, object_id, from_field=None):
        """A published article opens with its waiting change, if any: readers keep the live text meanwhile.

        While a version is being restored, the form shows that version's text, and the live text is
        the one the article had before the restore began.
        """
        article = super().get_object(request, object_id, from_field)
        restoring = getattr(request, "live_before_restore", None)
        if restoring is not None and article is not None:
            article.live_text, article.open_revision = restoring, moderation.open_revision(article)
            if article.open_revision is not None:
                article.seen_edit_token = article.open_revision.edit_token
            return article
        if article is None or article.status != Article.Status.PUBLISHED:
            return article
        article.live_text = moderation.live_text(article)
        revision = article.open_revision = moderation.open_revision(article)
        if revision is not None:
            for name, value in revision.text.items():
                setattr(article, name, value)
            article.seen_edit_token = revision.edit_token
        return article

    def get_fields(self, request, obj=None):
        fields = [name for name in super().get_fields(request, obj) if name != "go_live_at"]
        if obj is not None and getattr(obj, "live_text", None) is not None:
            # Published: the text goes to a revision; unpublishing is its own action.
            fields = [name for name in fields if name != "status"]
            fields.insert(fields.index("body") + 1, "go_live_at")
        return fields

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
        live = getattr(obj, "live_text", None)
        if live is None or form.previewing:  # not published (or a preview, undone): edit the article itself
            super().save_model(request, obj, form, change)
        else:
            self._save_change_to_live_article(request, obj, form, live)
        for finding in form.findings:
            messages.warning(request, f"{obj.title}: {finding}")

    def _save_change_to_live_article(self, request, obj, form, live):
        """Keep the new text as the article's revision; readers see the live text until it is approved."""
        text = {name: form.cleaned_data[name] for name in moderation.READER_FIELDS}
        revision = getattr(obj, "open_revision", None)
        if text != live or revision is not None:
            revision = moderation.save_draft(
                obj,
                text,
                request.user,
                go_live_at=form.cleaned_data.get("go_live_at"),
                note=form.cleaned_data.get("change_note", ""),
                note_for_readers=bool(form.cleaned_data.get("show_to_readers")),
            )
            if SUBMIT in request.POST:
                moderation.submit(revision, request.user)
            request.revision_saved = revision
        for name, value in live.items():
            setattr(obj, name, value)
        # Its id or dates change the article itself; a restore has put an old text into its row: put the live one back.
        if set(form.changed_data) & set(PAGE_FIELDS) or hasattr(request, "live_before_restore"):
            obj.status = Article.Status.PUBLISHED
            obj.save()
        request._editorial_note = form.cleaned_data.get("change_note", "")
        request._editorial_saved = obj  # the change note reaches readers when the change is published

    def response_change(self, request, obj):
        revision = getattr(request, "revision_saved", None)
        if revision is None or self._is_preview(request):
            return super().response_change(request, obj)
        if revision.state == Revision.State.SUBMITTED:
            messages.success(
                request, _("Submitted for clinical review. Readers see the published text until it is approved.")
            )
        else:
            messages.success(
                request, _("Saved as a draft change. Readers see the published text until a reviewer approves it.")
            )
        return redirect(reverse("admin:articles_article_change", args=[obj.pk]))

    def preview_context(self, obj):
        return {"article": obj, "preview": True, "changes": [], **neighbours(obj)}

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["base_change_form_template"] = EditorialAdmin.change_form_template
        context["live"] = obj is not None and getattr(obj, "live_text", None) is not None
        context["open_revision"] = getattr(obj, "open_revision", None)
        if obj is not None and obj.pk:
            context["approvals"] = obj.approvals.select_related("reviewer")[:10]
            context["current_approval"] = approval = signoff.matching_approval(obj)
            context["evidence_changed"] = approval is not None and signoff.evidence_out_of_date(approval, obj)
            context["can_approve"] = is_reviewer(request.user)
            context["review_comments"] = obj.review_comments.select_related("author")
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        overview = self.admin_site.admin_view(self.overview_view)
        approve = self.admin_site.admin_view(self.approve_view)
        return [
            path("overview/", overview, name="articles_article_overview"),
            path("<int:pk>/review/", approve, name="articles_article_approve"),
            path(
                "<int:pk>/unpublish/",
                self.admin_site.admin_view(self.unpublish_view),
                name="articles_article_unpublish",
            ),
            path("<int:pk>/discard/", self.admin_site.admin_view(self.discard_view), name="articles_article_discard"),
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
        """Show the text waiting for review with its checks: a reviewer approves or sends it back; a writer comments.

        For a published article that is its open revision, compared word by word with the live text.
        The form carries the edit token of the text shown, so a decision about text that changed
        since the page was opened is refused.
        """
        article = get_object_or_404(Article, pk=pk)
        reviewer = is_reviewer(request.user)
        if not (reviewer or request.user.has_perm("review.add_reviewcomment")):
            raise PermissionDenied
        revision = moderation.open_revision(article) if article.status == Article.Status.PUBLISHED else None
        form = ApproveForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            comment = form.cleaned_data["comment"].strip()
            deciding = "_approve" in request.POST or "_request_changes" in request.POST
            if deciding and not reviewer:
                raise PermissionDenied
            seen = request.POST.get("seen_token", "")
            seen = (seen, request.POST.get("seen_evidence") or None)  # the text's edit token, its evidence
            if deciding and revision is not None:
                if not self._decide(request, revision, comment, seen):
                    return redirect(reverse("admin:articles_article_approve", args=[article.pk]))
            elif "_approve" in request.POST:
                self._approve(request, article, comment, seen)
            elif comment:
                ReviewComment.objects.create(article=article, author=request.user, text=comment)
                messages.success(request, _("Your comment was added. It is shown on the article's page in the admin."))
            else:
                messages.error(request, _("Write a comment for the writer, or approve this version."))
                return redirect(reverse("admin:articles_article_approve", args=[article.pk]))
            return redirect(reverse("admin:articles_article_change", args=[article.pk]))
        text = revision.text if revision is not None else moderation.live_text(article)
        shown = Article(**text)
        render_article(shown)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Review “%(title)s”") % {"title": article.title},
            "can_approve": reviewer,
            "article": article,
            "shown": shown,
            "revision": revision,
            "seen_token": revision.edit_token if revision is not None else article.edit_token,
            "seen_evidence": signoff.evidence_hash(text),
            "differences": self._differences(article, revision),
            "findings": findings_for_article(shown),
            "form": form,
            "version": signoff.latest_version(article),
            "already": None if revision is not None else signoff.current_approval(article),
            "comments": article.review_comments.select_related("author"),
            "opts": self.opts,
        }
        return TemplateResponse(request, "review/approve.html", context)

    def unpublish_view(self, request, pk):
        """Take a published article off the site, after a confirmation: saving a change never does this."""
        article = get_object_or_404(Article, pk=pk, status=Article.Status.PUBLISHED)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        if request.method == "POST":
            moderation.unpublish(article, request.user)
            messages.success(request, _("Unpublished: readers no longer see this article."))
            return redirect(reverse("admin:articles_article_change", args=[article.pk]))
        question = _("Take “%(title)s” off the site? Readers will get “not found” until it is published again.")
        return self._confirm(request, article, question % {"title": article.title}, _("Unpublish"))

    def discard_view(self, request, pk):
        """Drop the article's waiting change, after a confirmation; the published text stays as it is."""
        article = get_object_or_404(Article, pk=pk)
        revision = moderation.open_revision(article)
        if revision is None or not self.has_change_permission(request, article):
            raise PermissionDenied
        if request.method == "POST":
            moderation.discard(revision)
            messages.success(request, _("The waiting change was discarded. Readers still see the published text."))
            return redirect(reverse("admin:articles_article_change", args=[article.pk]))
        question = _("Discard the waiting change to “%(title)s”? The published text stays as it is.")
        return self._confirm(request, article, question % {"title": article.title}, _("Discard the change"))

    def _confirm(self, request, article, question, action):
        context = {**self.admin_site.each_context(request), "title": question, "action": action, "article": article}
        context["opts"] = self.opts
        return TemplateResponse(request, "review/confirm.html", context)

    @staticmethod
    def _differences(article, revision):
        """Return (field label, word differences) for each field the revision changes from the live text."""
        if revision is None:
            return []
        live = moderation.live_text(article)
        rows = []
        for name in moderation.READER_FIELDS:
            parts = word_diff(live[name], getattr(revision, name))
            if changed(parts):
                rows.append((Article._meta.get_field(name).verbose_name.capitalize(), parts))
        return rows

    @staticmethod
    def _decide(request, revision, comment, seen):
        """Approve the revision or send it back; say what happened. Return False if it was refused."""
        try:
            if "_approve" in request.POST:
                revision = moderation.approve(
                    revision, request.user, comment, seen_token=seen[0], seen_evidence=seen[1]
                )
                if revision.state == Revision.State.PUBLISHED:
                    messages.success(request, _("Approved and published: readers see the new text now."))
                else:
                    messages.success(request, _("Approved: it goes live at the time the writer chose."))
            else:
                moderation.request_changes(revision, request.user, comment, seen_token=seen[0])
                messages.success(request, _("Sent back to the writer with your comment."))
        except signoff.ApprovalRefused as refused:
            messages.error(request, str(refused))
            return False
        return True

    @staticmethod
    def _approve(request, article, comment, seen):
        try:
            signoff.approve(article, request.user, comment, seen_token=seen[0], seen_evidence=seen[1])
        except signoff.ApprovalRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request,
                _("You approved this version of “%(title)s”. The writer can now publish it.")
                % {"title": article.title},
            )
