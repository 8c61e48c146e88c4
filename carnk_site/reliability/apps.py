from django.apps import AppConfig


class ReliabilityConfig(AppConfig):
    name = "carnk_site.reliability"
    label = "reliability"
    verbose_name = "Security and reliability"
