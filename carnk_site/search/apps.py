from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "carnk_site.search"
    label = "search"
    verbose_name = "Search"

    def ready(self):
        from . import signals

        signals.connect_signals()
