"""The "Was this page helpful?" form, with the checks that keep bots out without asking readers anything."""

import time

from django import forms
from django.core import signing
from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _

from carnk_site.articles.models import Article

from .models import MAX_TEXT

MIN_SECONDS = 2
SALT = "feedback-form-shown"
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def published(slug):
    return Article.objects.published().filter(slug=slug).exists()


def shown_token():
    """Return a signed time stamp for the form; the same for every reader, so pages stay cacheable."""
    return signing.dumps(int(time.time()), salt=SALT)


class FeedbackForm(forms.Form):
    page = forms.CharField(max_length=200, widget=forms.HiddenInput)
    helpful = forms.ChoiceField(label=_("Was this page helpful?"), choices=YES_NO, widget=forms.RadioSelect)
    text = forms.CharField(
        label=_("Tell us more (optional)"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": MAX_TEXT}),
        help_text=_("What was unclear, missing or wrong? Please do not include your name or any health details."),
    )
    website = forms.CharField(required=False, label=_("Leave this empty"))  # honeypot: people never see it
    shown = forms.CharField(widget=forms.HiddenInput)

    def clean_page(self):
        page = self.cleaned_data["page"]
        try:
            match = resolve(page) if page.startswith("/") else None
        except Resolver404:
            match = None
        if match is None or match.view_name != "articles:detail" or not published(match.kwargs["slug"]):
            raise forms.ValidationError(_("This form only works from an article page."))
        return page

    def clean_shown(self):
        try:
            shown = signing.loads(self.cleaned_data["shown"], salt=SALT)
        except signing.BadSignature:
            raise forms.ValidationError(_("The form was damaged. Please go back to the page and try again.")) from None
        if time.time() - shown < MIN_SECONDS:
            raise forms.ValidationError(_("That was very quick. Please check your answer and send it again."))
        return shown

    @property
    def is_bot(self):
        return bool(self.data.get("website"))
