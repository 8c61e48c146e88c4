from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "carnk_site.evidence"
    label = "evidence"
    verbose_name = "Evidence: sources and claims"
