"""Receive readers' feedback from cached article pages, and thank them."""

from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from carnk_site.caching.middleware import public_page
from carnk_site.feedback import ratelimit
from carnk_site.feedback.forms import FeedbackForm
from carnk_site.feedback.models import Feedback


@csrf_exempt
@require_POST
def submit(request):
    """Store one reader's answer.

    CSRF protection is off for this one endpoint on purpose: the form sits on cached pages served
    to readers without cookies, so there is no CSRF cookie to check against, and setting one would
    make every article uncacheable. What a forged post could do is store a line of text in the
    triage list; the honeypot field and the per-address rate limit keep that cheap to ignore. It reads no session and changes nothing else.
    """
    form = FeedbackForm(request.POST)
    if form.is_bot:
        return redirect("feedback:thanks")  # a bot learns nothing; nothing is stored
    if not ratelimit.allow(request):
        return render(request, "feedback/form_page.html", {"limited": True}, status=429)
    if not form.is_valid():
        return render(request, "feedback/form_page.html", {"form": form, "retry": form.retry_form()}, status=400)
    data = form.cleaned_data
    Feedback.objects.create(page=data["page"], helpful=data["helpful"] == "yes", text=data["text"].strip())
    return redirect("feedback:thanks")


@public_page
def thanks(request):
    return render(request, "feedback/thanks.html")
