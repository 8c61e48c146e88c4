"""What every editable record's admin shares: history with change notes, preview, and safe saves.

- History: django-reversion (with reversion-compare) keeps every version with who and when,
  plus the editor's change note; a version can be compared and restored in one step, and
  restoring puts back only that record (restore.py), never the rest of its history entry.
- Preview: the "Preview" button saves inside a transaction, renders the reader's page with the
  same pipeline, then rolls everything back, so nothing is published or kept.
- Concurrent edits: a form remembers the record's edit token; if someone saved since it was
  opened, saving is refused with the editor's own text kept in the form.
- Editor tools: long fields state and enforce size limits (limits.py); static/admin-editor/
  keeps drafts in the browser and adds the live preview and pickers, which ask the JSON views
  in endpoints.py, registered per model through `editor_endpoints`.
- Soft locking: opening a change form says who else has it open and since when, with or without
  unsaved text (presence.py); the browser's heartbeat keeps that current. It never blocks a save.
"""

import reversion
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.urls import path
from django.utils.cache import add_never_cache_headers
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy, ngettext
from django.utils.translation import gettext_lazy as _
from reversion.models import Version
from reversion_compare.admin import CompareVersionAdmin

from carnk_site.articles.reader_notes import can_note_for_readers, record_reader_note
from carnk_site.core import limits
from carnk_site.core.validation import id_problem
from carnk_site.editorial import presence
from carnk_site.editorial.restore import restore
from carnk_site.publishing import background
from carnk_site.publishing.references import articles_using, describe, id_change_problem
from carnk_site.reliability.limits import preview_slot


def plain_line_endings(to_python):
    """Wrap a text field's conversion so CR LF and a lone CR become LF before any check sees the text."""

    def convert(value):
        value = to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value

    return convert


class PlainLineEndingsForm(forms.ModelForm):
    """A model form that stores every text with LF line endings, whatever the browser sends.

    Browsers submit a textarea's line breaks as CR LF; stored as sent, a one-sentence edit would
    show as every line changed in the history and in `exportcontent`'s files. Converting in the
    fields' `to_python` runs before size limits, validators and `clean_*`, and `has_changed` agrees.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                field.to_python = plain_line_endings(field.to_python)


class SizeLimitedForm(PlainLineEndingsForm):
    """A model form whose long text fields state their size limit and refuse longer text."""

    size_limits = {}  # field name -> most characters it accepts (carnk_site/core/limits.py)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, most in self.size_limits.items():
            field = self.fields.get(name)
            if field is None:  # a read-only view of the form (e.g. a reviewer's) does not edit it
                continue
            field.validators.append(SizeLimit(most))
            # No maxlength attribute: a browser would silently cut a pasted text short.
            field.widget.attrs["data-max-length"] = str(most)
            stated = _("Up to %(most)s characters.") % {"most": f"{most:,}"}
            field.help_text = f"{field.help_text} {stated}".strip()


class EditorialForm(SizeLimitedForm):
    """A model form with a change note and a check that nobody saved the record meanwhile."""

    change_note = forms.CharField(
        required=False,
        max_length=300,
        label="Change note",
        help_text="Optional: what you changed and why, in a few words. Kept in the internal history;"
        " readers see it only if you tick the box below.",
    )
    show_to_readers = forms.BooleanField(
        required=False,
        label=_("Show this note to readers"),
        help_text=_(
            "Readers see the note under “Changes to this page”, dated today. Leave unticked for internal notes."
        ),
    )
    seen_edit_token = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["seen_edit_token"].initial = getattr(self.instance, "seen_edit_token", self.instance.edit_token)
        model = self._meta.model
        if not can_note_for_readers(model):
            del self.fields["show_to_readers"]  # notes on terms and sources are always internal
        elif model._meta.model_name == "claim":
            self.fields["show_to_readers"].label = _("Show to readers of articles citing this claim")

    def clean_show_to_readers(self):
        show = self.cleaned_data.get("show_to_readers")
        if show and not (self.data.get(self.add_prefix("change_note")) or "").strip():
            raise ValidationError(_("Write the change note readers should see, or untick this box."))
        return show

    def clean_slug(self):
        """Ids follow the rule content files follow (carnk_site.core.validation)."""
        slug = self.cleaned_data["slug"]
        problem = id_problem(slug)
        if problem:
            raise ValidationError(problem)
        return slug

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            current = self.current_edit_token()
            if current is not None and cleaned.get("seen_edit_token") != current:
                raise ValidationError(self._conflict_message(), code="edited_meanwhile")
        if "slug" in cleaned:
            problem = id_change_problem(self.instance, cleaned["slug"])
            if problem:
                self.add_error("slug", problem)
        return cleaned

    def current_edit_token(self):
        """Return the saved record's edit token, locking its row until the save commits."""
        model = type(self.instance)
        return (
            model.objects.select_for_update().filter(pk=self.instance.pk).values_list("edit_token", flat=True).first()
        )

    def _conflict_message(self):
        latest = Version.objects.get_for_object(self.instance).select_related("revision__user").first()
        who = ""
        if latest:
            user = latest.revision.user
            who = f" by {user.get_username() if user else 'the content loader'} at {date_format(latest.revision.date_created, 'DATETIME_FORMAT')}"
        return (
            f"This was changed{who} after you opened it, so your changes were not saved. "
            "Your text is still in the form below: copy what you changed, reload the page to see the "
            "latest version, then apply your changes again and save."
        )


class SizeLimit:
    """Refuse a text longer than the limit, saying by how much, so the editor knows what to cut."""

    def __init__(self, most):
        self.most = most

    def __call__(self, value):
        found = limits.length(value or "")
        if found > self.most:
            raise ValidationError(
                gettext_lazy(
                    "This text is %(found)s characters long; the limit is %(most)s. Nothing was saved:"
                    " shorten it by %(over)s characters (or split it) and save again."
                ),
                code="too_long",
                params={"found": f"{found:,}", "most": f"{self.most:,}", "over": f"{found - self.most:,}"},
            )

    def __eq__(self, other):
        return isinstance(other, SizeLimit) and other.most == self.most


def updating_message(waiting):
    """Tell an editor that a saved change is still reaching the pages that use it."""
    return ngettext(
        "Saved. %(count)d article that uses it is being updated now; readers see the change within a minute.",
        "Saved. %(count)d articles that use it are being updated now; readers see the change within a minute.",
        waiting,
    ) % {"count": waiting}


class EditorialAdmin(CompareVersionAdmin):
    """Admin for records editors write: history, change notes, preview and conflict-safe saves."""

    change_form_template = "editorial/change_form.html"
    preview_template = None
    # (route, name, view) answered as JSON to the editor tools (carnk_site/editorial/endpoints.py);
    # served at <app>/<model>/<route>, named admin:<app>_<model>_<name>.
    editor_endpoints = ()

    class Media:
        css = {"all": ["admin-editor/editor.css"]}
        js = ["admin-editor/editor.js"]

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        own = [
            path(route, self.admin_site.admin_view(self._endpoint(view)), name=f"{prefix}_{name}")
            for route, name, view in self.editor_endpoints
        ]
        heartbeat = self.admin_site.admin_view(self._endpoint(presence.heartbeat_view))
        own.append(path("<path:object_id>/presence/", heartbeat, name=f"{prefix}_presence"))
        return own + super().get_urls()

    def _endpoint(self, view):
        def endpoint(request, *args, **kwargs):
            return view(self, request, *args, **kwargs)

        return endpoint

    def _reversion_revisionform_view(self, request, version, template_name, extra_context=None):
        """Restore (or recover) only the chosen record, not every record that shares its history entry.

        Reversion's view reverts `version.revision` whole; this is the one call it makes on the
        revision, so it is pointed at `restore` for this request (carnk_site/editorial/restore.py).
        """
        if version._model is not self.model:  # reversion matches the object id only, not the kind of record
            raise Http404("No such version of this record.")
        version.revision.revert = lambda delete=False: restore(version)
        return super()._reversion_revisionform_view(request, version, template_name, extra_context)

    def get_deleted_objects(self, objs, request):
        """List the articles that use a record as protected, so deleting it is refused, naming them."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        for obj in objs:
            articles = articles_using(obj)
            if articles:
                protected = [*protected, f"{obj} is used by {describe(articles)}"]
        return deleted, counts, perms_needed, protected

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if can_note_for_readers(self.model):
            return fields
        return [name for name in fields if name != "show_to_readers"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        request._editorial_note = form.cleaned_data.get("change_note", "")
        request._editorial_saved = obj
        if form.cleaned_data.get("show_to_readers"):
            record_reader_note(obj, request._editorial_note)

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self._keep_change_note(request)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        self._keep_change_note(request)
        return entry

    @staticmethod
    def _keep_change_note(request):
        """Reversion records the admin's log message as the comment; the editor's own note wins."""
        note = getattr(request, "_editorial_note", "")
        if note and reversion.is_active():
            reversion.set_comment(note)

    @staticmethod
    def _is_preview(request):
        return request.method == "POST" and "_preview" in request.POST

    def add_view(self, request, form_url="", extra_context=None):
        if self._is_preview(request):  # no revision: a preview must leave no trace in the history
            return admin.ModelAdmin.add_view(self, request, form_url, extra_context)
        return self._after_commit(request, super().add_view(request, form_url, extra_context))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if self._is_preview(request):
            return admin.ModelAdmin.change_view(self, request, object_id, form_url, extra_context)
        return self._after_commit(request, super().change_view(request, object_id, form_url, extra_context))

    @staticmethod
    def _after_commit(request, response):
        """Once the save has committed, say so if the pages using it are still being updated."""
        if request.method == "POST" and response.status_code == 302 and (waiting := background.pending_articles()):
            messages.info(request, updating_message(waiting))
        return response

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if self._is_preview(request):
            return self.preview_view(request, object_id, form_url, extra_context)
        extra_context = {
            **(extra_context or {}),
            "can_preview": self.preview_template is not None,
            "upload_max": settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
        }
        return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change and obj is not None and obj.pk is not None and not self._is_preview(request):
            context.update(presence.form_context(self, request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def preview_view(self, request, object_id, form_url, extra_context):
        """Save inside a transaction, render the reader's page, then undo everything (if a slot is free)."""
        with preview_slot() as free:
            if not free:
                return busy_response()
            return self._preview(request, object_id, form_url, extra_context)

    def _preview(self, request, object_id, form_url, extra_context):
        with transaction.atomic():
            response = super().changeform_view(request, object_id, form_url, extra_context)
            saved = getattr(request, "_editorial_saved", None)
            if response.status_code == 302 and saved is not None:
                response = self.preview_response(request, type(saved).objects.get(pk=saved.pk))
                for _ in messages.get_messages(request):
                    pass  # the "saved" message would be untrue after the rollback
            if hasattr(response, "render"):
                response.render()
            transaction.set_rollback(True)
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def preview_response(self, request, obj):
        from django.template.response import TemplateResponse

        return TemplateResponse(request, self.preview_template, self.preview_context(obj))

    def preview_context(self, obj):
        return {"object": obj, "preview": True}


def busy_response():
    """Return the 'try again in a moment' answer to a preview beyond the limit."""
    response = HttpResponse(
        _("Another preview is being prepared, try again in a moment."),
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = "5"
    add_never_cache_headers(response)
    return response
