"""Soft locking: who else has a record's change form open in the admin, and since when.

Opening a change form records the editor's presence; while the form stays open, the editor's
browser says so every BEAT_SECONDS (static/admin-editor/editor.js), and whether it keeps unsaved
text for the record. Anyone who opens the record meanwhile is told who and since when, in the
page itself and again in every heartbeat's answer. Nothing is locked: the form's "changed
meanwhile" check (admin/base.py) refuses the second of two conflicting saves.
"""

import datetime
import re
import secrets

from django.contrib.admin.utils import quote, unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from carnk_site.editorial.models import EditingPresence

BEAT_SECONDS = 30
PRESENT_FOR = datetime.timedelta(minutes=2)  # four heartbeats missed: the editor has gone
NOTICE_TEMPLATE = "editorial/presence_notice.html"
VIEW = re.compile(r"[0-9a-f]{1,32}")


def form_context(model_admin, request, obj):
    """Record that this editor opened `obj`'s change form; return what the form shows of the others."""
    now = timezone.now()
    content_type = ContentType.objects.get_for_model(obj)  # cached after the first ask
    rows = list(EditingPresence.objects.for_record(content_type, str(obj.pk)).select_related("user"))
    view = ""
    if model_admin.has_change_permission(request, obj):  # someone who can only look would never save
        view = secrets.token_hex(8)
        _opened(request.user, content_type, str(obj.pk), view, rows, now)
    others = [row for row in rows if row.user_id != request.user.pk and row.seen >= now - PRESENT_FOR]
    opts = model_admin.opts
    return {
        "presence_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_presence", args=[quote(obj.pk)]),
        "presence_view": view,
        "presence_every": BEAT_SECONDS,
        "presence_others": describe(others, now),
    }


def _opened(user, content_type, object_id, view, rows, now):
    mine = next((row for row in rows if row.user_id == user.pk), None)
    # Unsaved text is what the browser reports: the form shows the saved record until it does.
    if mine is None:
        _create(user, content_type, object_id, view, now, unsaved_since=None)
        return
    opened = mine.opened if mine.seen >= now - PRESENT_FOR else now  # a reload keeps "since when"
    EditingPresence.objects.filter(pk=mine.pk).update(opened=opened, seen=now, view=view, unsaved_since=None)


def _create(user, content_type, object_id, view, now, unsaved_since):
    # ignore_conflicts: the same editor's other tab may have written the row a moment ago.
    presence = EditingPresence(
        user=user,
        content_type=content_type,
        object_id=object_id,
        view=view,
        opened=now,
        seen=now,
        unsaved_since=unsaved_since,
    )
    EditingPresence.objects.bulk_create([presence], ignore_conflicts=True)


def open_by_an_editor(obj):
    """Return who has `obj`'s change form open now, as a reason for `loadcontent --force` to leave it, or None."""
    content_type = ContentType.objects.get_for_model(obj)
    since = timezone.now() - PRESENT_FOR
    rows = EditingPresence.objects.for_record(content_type, str(obj.pk)).present(since).select_related("user")
    names = sorted({row.user.get_username() for row in rows})
    return f"{', '.join(names)} has it open in the admin" if names else None


def heartbeat_view(model_admin, request, object_id):
    """Note that the form is still open (or was left); answer with who else has it open now."""
    if request.method != "POST":
        return JsonResponse({"ok": False, "error": _("Send the heartbeat with POST.")}, status=405)
    if not model_admin.has_view_or_change_permission(request):
        return JsonResponse({"ok": False, "error": _("You do not have permission to do this.")}, status=403)
    try:
        pk = model_admin.opts.pk.to_python(unquote(object_id))
    except ValidationError:
        pk = None
    if pk is None or not model_admin.get_queryset(request).filter(pk=pk).exists():
        return JsonResponse({"ok": False, "error": _("This record no longer exists.")}, status=404)
    content_type = ContentType.objects.get_for_model(model_admin.model)
    record = EditingPresence.objects.for_record(content_type, str(pk))
    view = request.POST.get("view", "")
    view = view if VIEW.fullmatch(view) else ""
    if request.POST.get("left"):
        record.filter(user=request.user, view=view).delete()
        return JsonResponse({"ok": True})
    now = timezone.now()
    if model_admin.has_change_permission(request):
        unsaved_since = browser_time(request.POST.get("unsaved_since"), now)
        if not record.filter(user=request.user).update(seen=now, view=view, unsaved_since=unsaved_since):
            _create(request.user, content_type, str(pk), view, now, unsaved_since)
    others = record.present(now - PRESENT_FOR).exclude(user=request.user).select_related("user")
    html = render_to_string(NOTICE_TEMPLATE, {"others": describe(others, now), "opts": model_admin.opts}, request)
    return JsonResponse({"ok": True, "html": html.strip()})


def browser_time(value, now):
    """Return the moment a browser sent as milliseconds since 1970, never later than now; None if unreadable."""
    try:
        moment = datetime.datetime.fromtimestamp(int(value) / 1000, tz=datetime.UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None
    return min(moment, now)


def describe(presences, now):
    """Return what the notice says of each presence: the editor's name and the times, as shown and as ISO."""
    return [
        {
            "name": row.user.get_full_name() or row.user.get_username(),
            "opened": clock(row.opened, now),
            "opened_iso": row.opened.isoformat(),
            "unsaved": clock(row.unsaved_since, now) if row.unsaved_since else "",
            "unsaved_iso": row.unsaved_since.isoformat() if row.unsaved_since else "",
        }
        for row in presences
    ]


def clock(moment, now):
    """Return the time as an editor reads it on a clock: 10:42 today, 3 Dec 10:42 on another day."""
    local = timezone.localtime(moment)
    if local.date() == timezone.localdate(now):
        return date_format(local, "H:i")
    return date_format(local, "j M H:i")
