from django.urls import path

from . import views

app_name = "glossary"
urlpatterns = [
    path("", views.glossary_index, name="index"),
    path("<slug:slug>/", views.term_detail, name="term"),
    path("<slug:slug>.json", views.term_json, name="term_json"),
]
