"""Article pages."""
from django.db.models import Q
from django.shortcuts import get_object_or_404, render

from .models import Article


def article_detail(request, slug):
    article = get_object_or_404(Article.objects.published().prefetch_related("sources"), slug=slug)
    return render(request, "articles/article_detail.html", {"article": article, **neighbours(article)})


def neighbours(article):
    """Return the previous and next published articles in one query."""
    published = Article.objects.published().only("slug", "title", "order")
    before = Q(order__lt=article.order) | Q(order=article.order, title__lt=article.title)
    after = Q(order__gt=article.order) | Q(order=article.order, title__gt=article.title)
    previous_pk = published.filter(before).order_by("-order", "-title").values("pk")[:1]
    next_pk = published.filter(after).order_by("order", "title").values("pk")[:1]
    found = list(published.filter(Q(pk__in=previous_pk) | Q(pk__in=next_pk)))
    previous = next((a for a in found if (a.order, a.title) < (article.order, article.title)), None)
    following = next((a for a in found if (a.order, a.title) > (article.order, article.title)), None)
    return {"previous": previous, "next": following}
