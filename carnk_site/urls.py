"""The site's URLs: public pages (in each language), open data, and the editors' admin.

Readers' pages sit under `i18n_patterns`: English at today's addresses, other languages under
their prefix (/zh-hans/…, /hi/…). The admin, the sitemap, the feed and robots.txt have one
address each; `/claims.json` is English unless asked for `?lang=` (or read under a prefix).
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from carnk_site.reader import urls as reader

admin.site.site_header = "CAR-NK explainer: editors"
admin.site.site_title = "CAR-NK explainer admin"
admin.site.index_title = "Articles, claims, sources and glossary"

urlpatterns = [
    path(settings.ADMIN_PATH, admin.site.urls),
    path("", include("carnk_site.machine_readable.urls")),
    *i18n_patterns(
        path("", include(reader.home_urls)),
        path("articles/", include(reader.article_urls)),
        path("glossary/", include(reader.glossary_urls)),
        path("search/", include("carnk_site.search.urls")),
        path("", include(reader.evidence_urls)),
        path("feedback/", include("carnk_site.feedback.urls")),
        path("pages/", include(reader.about_urls)),
        prefix_default_language=False,
    ),
]
