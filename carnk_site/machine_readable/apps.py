from django.apps import AppConfig


class MachineReadableConfig(AppConfig):
    name = "carnk_site.machine_readable"
    label = "machine_readable"
    verbose_name = "Sitemap, feed and robots.txt"
