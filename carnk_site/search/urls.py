from django.urls import path

from carnk_site.search import views

app_name = "search"
urlpatterns = [path("", views.search, name="results")]
