from django.apps import AppConfig


class TranslationsConfig(AppConfig):
    """The site in other languages: which language an address is in, and translations of content as their own records."""

    name = "carnk_site.translations"
    verbose_name = "Translations"

    def ready(self):
        from carnk_site.translations import models, searching

        models.connect()
        searching.connect()
