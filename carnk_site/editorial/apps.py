from django.apps import AppConfig


class EditorialConfig(AppConfig):
    name = "carnk_site.editorial"
    label = "editorial"
    verbose_name = "Editorial workflow"

    def ready(self):
        from carnk_site.content_files import importer
        from carnk_site.editorial import presence

        if presence.open_by_an_editor not in importer.FORCE_REFUSALS:
            importer.FORCE_REFUSALS.append(presence.open_by_an_editor)
