from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "carnk_site.publishing"
    label = "publishing"
    verbose_name = "Publishing"

    def ready(self):
        from carnk_site.publishing import signals

        signals.connect()
