from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Search over the published content; the publishing pipeline keeps its rows up to date."""

    name = "carnk_site.search"
    label = "search"
    verbose_name = "Search"
