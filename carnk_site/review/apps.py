from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "carnk_site.review"
    label = "review"
    verbose_name = "Clinical review"

    def ready(self):
        from . import signoff

        signoff.connect_signals()
