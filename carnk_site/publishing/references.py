"""Keep articles' references whole: a claim, term or source an article uses cannot vanish or change id."""

from django.db.models import ProtectedError

from carnk_site.articles.models import Article

RELATION = {"evidence.claim": "claims", "glossary.term": "terms", "evidence.source": "sources"}


class InUse(ProtectedError):
    """Raised when a change would break the articles that use a record."""


def articles_using(obj):
    """Return the articles (published or draft) that link to a claim, term or source."""
    relation = RELATION.get(obj._meta.label_lower)
    if relation is None or obj.pk is None:
        return []
    return list(Article.objects.filter(**{f"{relation}__pk": obj.pk}).only("slug", "title").order_by("slug"))


def describe(articles, limit=10):
    """Name the articles for an editor, e.g. “Side effects” (side-effects), …"""
    shown = ", ".join(f"“{a.title}” ({a.slug})" for a in articles[:limit])
    more = len(articles) - limit
    return shown + (f" and {more} more" if more > 0 else "")


def refuse_delete(obj):
    """Raise InUse if any article uses the record."""
    articles = articles_using(obj)
    if articles:
        raise InUse(
            f"{obj._meta.verbose_name.capitalize()} '{obj.slug}' cannot be deleted: "
            f"these articles use it: {describe(articles)}. Remove it from them first.",
            articles,
        )


def id_change_problem(obj, new_slug):
    """Return why a saved record's id cannot change to new_slug, or None if it can."""
    if obj.pk is None:
        return None
    old = type(obj)._base_manager.filter(pk=obj.pk).values_list("slug", flat=True).first()
    if old is None or old == new_slug:
        return None
    articles = articles_using(obj)
    if not articles:
        return None
    return (
        f"The id '{old}' cannot change: these articles link to it: {describe(articles)}. "
        "Keep the id, or remove the links from those articles first."
    )


def refuse_id_change(obj):
    """Raise InUse if a saved record's id is changing while articles use it."""
    problem = id_change_problem(obj, obj.slug)
    if problem:
        raise InUse(problem, articles_using(obj))
