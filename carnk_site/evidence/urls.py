from django.urls import path

from . import views

app_name = "evidence"
urlpatterns = [
    path("evidence/", views.evidence_levels, name="levels"),
    path("sources/", views.source_list, name="sources"),
    path("sources/<slug:slug>/", views.source_detail, name="source"),
    path("claims.json", views.claims_json, name="claims_json"),
    path("claims/<slug:slug>.json", views.claim_json, name="claim_json"),
]
