from django.urls import path

from carnk_site.machine_readable import views

app_name = "machine_readable"
urlpatterns = [
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("changes.atom", views.changes_feed, name="changes_feed"),
    path("robots.txt", views.robots_txt, name="robots"),
]
