from django.apps import AppConfig


class EditorialConfig(AppConfig):
    name = "carnk_site.editorial"
    label = "editorial"
    verbose_name = "Editorial workflow"
