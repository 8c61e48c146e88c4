from django.apps import AppConfig


class CachingConfig(AppConfig):
    name = "carnk_site.caching"
    label = "caching"
    verbose_name = "Page cache"

    def ready(self):
        from . import version

        version.connect_signals()
