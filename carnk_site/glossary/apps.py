from django.apps import AppConfig


class GlossaryConfig(AppConfig):
    name = "carnk_site.glossary"
    label = "glossary"
    verbose_name = "Glossary"
