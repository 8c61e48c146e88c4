"""The home page."""
from django.shortcuts import render

from carnk_site.articles.models import Article


def home(request):
    articles = Article.objects.published().only("slug", "title", "summary", "order", "reading_minutes")
    return render(request, "pages/home.html", {"articles": articles})
