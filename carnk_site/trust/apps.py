from django.apps import AppConfig


class TrustConfig(AppConfig):
    name = "carnk_site.trust"
    label = "trust"
    verbose_name = "About the site"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from carnk_site.caching.version import content_changed

        from .models import TrustPage

        post_save.connect(content_changed, sender=TrustPage, dispatch_uid="page-cache-save-TrustPage")
        post_delete.connect(content_changed, sender=TrustPage, dispatch_uid="page-cache-delete-TrustPage")
