from django.apps import AppConfig


class ContentFilesConfig(AppConfig):
    name = "carnk_site.content_files"
    label = "content_files"
    verbose_name = "Content files"
