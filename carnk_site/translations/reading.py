"""What a reader of another language is shown: the published translation of a page, or the English with a notice.

`shown_in_reader_language(record, fields)` is the one answer for every kind of page (article, term,
page about the site). It copies a published translation's text onto the unsaved record the view
already loaded, so each page keeps one template for every language, and returns what the notice
above the page says: how the translation was made, who checked it (if anyone), whether the
English changed since, or that there is no translation yet and the page is in English.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language, override

from carnk_site.translations.models import ArticleTranslation, ClaimTranslation, TermTranslation, translated_quotes
from carnk_site.translations.published import flag


@dataclass
class ReaderTranslation:
    """What the box above a page says about its language."""

    language: str  # the reader's language
    record: object  # the English record
    translation: object = None  # the published translation shown, or None: the page is in English
    stale: bool = False  # the English changed after this translation was made
    english_changed_on: object = None

    @property
    def content_language(self):
        """Return the language of the page's content, for its `lang` attribute."""
        return self.language if self.translation is not None else settings.LANGUAGE_CODE

    @property
    def english_address(self):
        with override(settings.LANGUAGE_CODE):
            return self.record.get_absolute_url()


def shown_in_reader_language(record, fields):
    """Show `record` in the active language; `fields` maps the record's attribute to its translation's.

    Returns None in English. Otherwise the record's attributes hold the published translation's
    text (if there is one) and the result says what readers are told about it.
    """
    language = get_language()
    if language == settings.LANGUAGE_CODE:
        return None
    if not getattr(record, flag(language), True):  # loaded `with_published_languages`: none in this one
        return ReaderTranslation(language, record)
    found = record.translations.published().filter(language=language).select_related("approved_by__reviewer").first()
    if found is None:
        return ReaderTranslation(language, record)
    setattr(found, found.ENGLISH, record)
    stale = not found.is_current  # read before the English attributes are overwritten below
    found.follow_english_rendering()
    for english_name, translated_name in fields.items():
        setattr(record, english_name, getattr(found, translated_name))
    return ReaderTranslation(language, record, found, stale, found.english_changed_on() if stale else None)


ARTICLE_FIELDS = {
    "title": "title",
    "summary": "summary",
    "key_points_html": "key_points_html",
    "body_html": "body_html",
    "reading_minutes": "reading_minutes",
    "evidence_profile": "evidence_profile",
}
TERM_FIELDS = {"term": "name", "definition": "definition", "explanation_html": "explanation_html"}
PAGE_FIELDS = {"title": "title", "summary": "summary", "body_html": "body_html"}


def translate_statements(claims, language):
    """Give each claim dict (with "pk" and "statement") its published translation into `language`, marked as ours.

    The English statement is kept beside it. Quotes are left as the sources wrote them; each
    citation dict (in "citations", with "quote") gains our published translation beside it.
    """
    translated = {}
    if language != settings.LANGUAGE_CODE:
        published = ClaimTranslation.objects.published().filter(
            language=language, claim_id__in=[c["pk"] for c in claims]
        )
        translated = {
            pk: (statement, quotes)
            for pk, statement, quotes in published.values_list("claim_id", "statement", "quotes")
        }
    for claim in claims:
        pk = claim.pop("pk")
        if pk in translated:
            claim["english_statement"] = claim["statement"]
            claim["statement"] = translated[pk][0]
        if language != settings.LANGUAGE_CODE:  # the quotes are marked English even where we have no translation
            ours = translated_quotes(translated[pk][1]) if pk in translated else {}
            add_quote_translations(claim.get("citations", ()), ours, language)
        claim["statement_language"] = language if pk in translated else settings.LANGUAGE_CODE
        claim["statement_translated"] = pk in translated
    return claims


def add_quote_translations(citations, translations, language):
    """Set on each citation dict its quote's language and, where we have one, our translation of it.

    `quote_language` is English (the sources' language); `translation` is ours, in `language`.
    A quote without a translation keeps only the verbatim quote.
    """
    for citation in citations:
        citation["quote_language"] = settings.LANGUAGE_CODE
        found = translations.get(citation["quote"])
        if found:
            citation["translation"] = found
            citation["translation_language"] = language


def attach_quote_translations(profile, language):
    """Show our published translations beside the quotes of a stored evidence profile (one query).

    The profile was rendered on save and stays as stored; this adds, in memory, each quote's
    translation into `language` for the list of quoted passages. Nothing in English.
    """
    claims = (profile or {}).get("claims") or []
    if language == settings.LANGUAGE_CODE or not claims:
        return profile
    published = ClaimTranslation.objects.published().filter(
        language=language, claim__slug__in=[c["slug"] for c in claims]
    )
    by_slug = {slug: translated_quotes(quotes) for slug, quotes in published.values_list("claim__slug", "quotes")}
    for claim in claims:
        add_quote_translations(claim.get("citations", ()), by_slug.get(claim["slug"], {}), language)
    return profile


def attach_translated_statements(claims):
    """Set `translated_statement` and `translated_quotes` ({English quote: ours}) on each claim, or None and {}."""
    claims = list(claims)
    language = get_language()
    translated = {}
    if language != settings.LANGUAGE_CODE:
        published = ClaimTranslation.objects.published().filter(language=language, claim__in=claims)
        translated = {
            pk: (statement, quotes)
            for pk, statement, quotes in published.values_list("claim_id", "statement", "quotes")
        }
    for claim in claims:
        statement, quotes = translated.get(claim.pk, (None, []))
        claim.translated_statement = statement
        claim.translated_quotes = translated_quotes(quotes)
    return claims


def attach_translated_terms(terms):
    """Set `translated_name` and `translated_definition` on each term: its published translation, or None."""
    terms = list(terms)
    language = get_language()
    translated = {}
    if language != settings.LANGUAGE_CODE:
        published = TermTranslation.objects.published().filter(language=language, term__in=terms)
        translated = {
            pk: (name, definition) for pk, name, definition in published.values_list("term_id", "name", "definition")
        }
    for term in terms:
        term.translated_name, term.translated_definition = translated.get(term.pk, (None, None))
    return terms


def attach_translated_articles(articles):
    """Show each listed article's published title and summary in the active language; return the list.

    Sets `content_language` on each (the language of its title and summary, for their `lang`
    attribute): the reader's language where a published translation exists, English otherwise,
    and None on English pages, where the page's own `lang` says it.
    One query for the whole list, none in English. Reading time and evidence profile stay the
    English's: a translation keeps them (`render_article(follow=...)`).
    """
    articles = list(articles)
    language = get_language()
    for article in articles:
        # On English pages the page's own `lang` already says it: no attribute to repeat.
        article.content_language = None if language == settings.LANGUAGE_CODE else settings.LANGUAGE_CODE
    if language == settings.LANGUAGE_CODE or not articles:
        return articles
    published = ArticleTranslation.objects.published().filter(language=language, article__in=articles)
    translated = {
        pk: (title, summary) for pk, title, summary in published.values_list("article_id", "title", "summary")
    }
    for article in articles:
        if article.pk in translated:
            article.title, article.summary = translated[article.pk]
            article.content_language = language
    return articles
