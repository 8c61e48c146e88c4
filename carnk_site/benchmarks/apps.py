from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    name = "carnk_site.benchmarks"
    label = "benchmarks"
    verbose_name = "Benchmarks"
