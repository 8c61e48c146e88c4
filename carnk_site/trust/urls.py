from django.urls import path

from . import views

app_name = "trust"
urlpatterns = [path("<slug:slug>/", views.page, name="page")]
