from django.apps import AppConfig


class CachingConfig(AppConfig):
    name = "carnk_site.caching"
    label = "caching"
    verbose_name = "Page cache"
    # The publishing pipeline (carnk_site.publishing) bumps the content version after each change.
