from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "carnk_site.publishing"
    label = "publishing"
    verbose_name = "Publishing"

    def ready(self):
        from django.core.signals import request_started

        from carnk_site.publishing import background, signals

        signals.connect()
        request_started.connect(background.resume_abandoned, dispatch_uid="publishing-resume-abandoned")
