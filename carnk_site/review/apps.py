from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "carnk_site.review"
    label = "review"
    verbose_name = "Clinical review"
