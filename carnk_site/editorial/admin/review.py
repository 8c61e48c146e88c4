"""Clinical review records in the admin: reviewer profiles and the read-only approval history.

The article's own sign-off (approve, comment, publish only approved text) is part of ArticleAdmin.
"""

from django.contrib import admin

from carnk_site.editorial.admin.base import PlainLineEndingsForm
from carnk_site.review.models import Approval, ReviewerProfile


@admin.register(ReviewerProfile)
class ReviewerProfileAdmin(admin.ModelAdmin):
    form = PlainLineEndingsForm
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
