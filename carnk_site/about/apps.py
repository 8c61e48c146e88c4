from django.apps import AppConfig


class AboutConfig(AppConfig):
    """The pages about the site; the label `trust` is kept for the migrations and tables made under it."""

    name = "carnk_site.about"
    label = "trust"
    verbose_name = "About the site"
