from django.apps import AppConfig


class ReaderConfig(AppConfig):
    """The public site: what readers see of articles, evidence, the glossary and the pages about the site."""

    name = "carnk_site.reader"
    label = "reader"
    verbose_name = "Reader site"
