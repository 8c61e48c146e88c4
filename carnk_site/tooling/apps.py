from django.apps import AppConfig


class ToolingConfig(AppConfig):
    """Benchmarks, the soak test and the synthetic library: installed only where DJANGO_TOOLING is on."""

    name = "carnk_site.tooling"
    label = "tooling"
    verbose_name = "Benchmarks and soak"
