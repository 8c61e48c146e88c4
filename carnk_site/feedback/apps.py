from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "carnk_site.feedback"
    label = "feedback"
    verbose_name = "Reader feedback"
