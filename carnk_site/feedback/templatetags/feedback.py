"""The feedback form at the end of an article."""

from django import template

from carnk_site.feedback.forms import FeedbackForm

register = template.Library()


@register.inclusion_tag("feedback/form.html")
def feedback_form(page):
    """Render "Was this page helpful?" for the page at this address."""
    return {"form": FeedbackForm(initial={"page": page})}
