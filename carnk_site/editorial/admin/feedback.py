"""The feedback triage list: read what readers said, then mark it acted on or dismissed."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from carnk_site.feedback.models import Feedback


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["created", "page", "helpful", "short_text", "status"]
    list_filter = ["status", "helpful", "page", "created"]
    search_fields = ["text", "page"]
    readonly_fields = ["page", "helpful", "text", "created"]
    fields = ["page", "helpful", "text", "created", "status"]
    actions = ["mark_acted_on", "mark_dismissed", "mark_new"]
    list_per_page = 50

    @admin.display(description=_("What they wrote"))
    def short_text(self, obj):
        return obj.text[:120] + ("…" if len(obj.text) > 120 else "")

    def has_add_permission(self, request):
        return False  # feedback comes from readers only

    def _mark(self, request, queryset, status):
        count = queryset.update(status=status)
        messages.success(
            request,
            _("%(count)d answers marked “%(status)s”.") % {"count": count, "status": Feedback.Status(status).label},
        )

    @admin.action(description=_("Mark selected as acted on"), permissions=["change"])
    def mark_acted_on(self, request, queryset):
        self._mark(request, queryset, Feedback.Status.ACTED_ON)

    @admin.action(description=_("Mark selected as dismissed"), permissions=["change"])
    def mark_dismissed(self, request, queryset):
        self._mark(request, queryset, Feedback.Status.DISMISSED)

    @admin.action(description=_("Mark selected as new again"), permissions=["change"])
    def mark_new(self, request, queryset):
        self._mark(request, queryset, Feedback.Status.NEW)
