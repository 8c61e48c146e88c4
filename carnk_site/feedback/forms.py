"""The "Was this page helpful?" form, with the checks that keep bots out without asking readers anything."""

from django import forms
from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _

from carnk_site.articles.models import Article
from carnk_site.feedback.models import MAX_TEXT

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def published(slug):
    return Article.objects.published().filter(slug=slug).exists()


class BrowserCountedText(forms.CharField):
    """Text counted as the browser's maxlength counts it: a line break is one character.

    Browsers send a line break as CR LF but count it as one character against maxlength, so a note
    that fits the box would be refused if the server counted first and normalised later.
    """

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")


class FeedbackForm(forms.Form):
    page = forms.CharField(max_length=200, widget=forms.HiddenInput)
    helpful = forms.ChoiceField(label=_("Was this page helpful?"), choices=YES_NO, widget=forms.RadioSelect)
    text = BrowserCountedText(
        label=_("Tell us more (optional)"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": MAX_TEXT}),
        help_text=_("What was unclear, missing or wrong? Please do not include your name or any health details."),
    )
    # Honeypot: people never see it. (No "time since shown" check: the form sits on pages cached for
    # minutes, so any time stamp in it would be the cache's, and would change the page's ETag.)
    website = forms.CharField(required=False, label=_("Leave this empty"))

    def clean_page(self):
        page = self.cleaned_data["page"]
        try:
            match = resolve(page) if page.startswith("/") else None
        except Resolver404:
            match = None
        if match is None or match.view_name != "articles:detail" or not published(match.kwargs["slug"]):
            raise forms.ValidationError(_("This form only works from an article page."))
        return page

    def retry_form(self):
        """Return the form to show again after a refusal, holding everything the reader typed."""
        initial = {name: self.data.get(name, "") for name in ("page", "helpful", "text")}
        return FeedbackForm(initial=initial)

    @property
    def is_bot(self):
        return bool(self.data.get("website"))
