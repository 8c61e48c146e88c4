from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "carnk_site.pages"
    label = "pages"
    verbose_name = "Pages"
