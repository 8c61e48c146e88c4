"""The site's URLs: public pages, open data, and the editors' admin."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from carnk_site.reader import urls as reader

admin.site.site_header = "CAR-NK explainer: editors"
admin.site.site_title = "CAR-NK explainer admin"
admin.site.index_title = "Articles, claims, sources and glossary"

urlpatterns = [
    path(settings.ADMIN_PATH, admin.site.urls),
    path("", include(reader.home_urls)),
    path("articles/", include(reader.article_urls)),
    path("glossary/", include(reader.glossary_urls)),
    path("search/", include("carnk_site.search.urls")),
    path("", include(reader.evidence_urls)),
    path("feedback/", include("carnk_site.feedback.urls")),
    path("pages/", include(reader.about_urls)),
    path("", include("carnk_site.machine_readable.urls")),
]
