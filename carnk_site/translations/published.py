"""Which languages a record has a published translation in, asked inside the query that loads the record.

The sitemap and a content page's hreflang alternates name a record's /zh-hans/ or /hi/ address only
once its translation into that language is published: until then that address shows the English
under a notice, the same page twice. One EXISTS per language in the record's own query, so a page
learns its languages without a query of its own.
"""

from django.db.models import Exists, OuterRef

from carnk_site.translations.models import translated_languages


def flag(code):
    """Return the name of the annotation saying whether a record is published in language `code`."""
    return "in_" + code.replace("-", "_")


def published_in(model, english):
    """Return one annotation per translated language: whether the record has a published `model` into it."""
    return {
        flag(code): Exists(model.objects.published().filter(language=code, **{english: OuterRef("pk")}))
        for code, _name in translated_languages()
    }


def with_published_languages(queryset):
    """Annotate each record of `queryset` (a model with `translations`) with its published languages."""
    relation = queryset.model.translations.rel
    return queryset.annotate(**published_in(relation.related_model, relation.field.name))


def languages_of(values):
    """Return the translated languages whose flag (in the order of `translated_languages`) is set."""
    return [code for (code, _name), value in zip(translated_languages(), values, strict=True) if value]


def published_languages(record):
    """Return the languages an annotated record is published in (None if it was loaded without the flags)."""
    names = [flag(code) for code, _name in translated_languages()]
    if not all(hasattr(record, name) for name in names):
        return None
    return languages_of(getattr(record, name) for name in names)
