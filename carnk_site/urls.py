"""The site's URLs: public pages, open data, and the editors' admin."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "CAR-NK explainer: editors"
admin.site.site_title = "CAR-NK explainer admin"
admin.site.index_title = "Articles, claims, sources and glossary"

urlpatterns = [
    path(settings.ADMIN_PATH, admin.site.urls),
    path("", include("carnk_site.pages.urls")),
    path("articles/", include("carnk_site.articles.urls")),
    path("glossary/", include("carnk_site.glossary.urls")),
    path("search/", include("carnk_site.search.urls")),
    path("", include("carnk_site.evidence.urls")),
    path("feedback/", include("carnk_site.feedback.urls")),
    path("pages/", include("carnk_site.trust.urls")),
    path("", include("carnk_site.machine_readable.urls")),
]
