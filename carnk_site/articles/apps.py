from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "carnk_site.articles"
    label = "articles"
    verbose_name = "Articles"
