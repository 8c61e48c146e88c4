"""The editors' admin: one module per kind of record, registered when Django's admin autodiscovers this package."""

from carnk_site.editorial.admin import (  # noqa: F401
    about,
    articles,
    evidence,
    feedback,
    glossary,
    review,
    search,
    translations,
)
