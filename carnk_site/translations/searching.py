"""Keep each published translation findable by search in its language: the owner of the non-English index rows.

A translation's rows hold its text cut into the tokens of `search/scripts.py` (Chinese character
pairs, loosely romanised Hindi), with its readable sentences beside them for the results page. A
save or deletion of a translation replaces its rows once committed (an unpublished translation has
none); `rebuildsearch` rebuilds them all through `all_documents`, registered with the index when the
app starts. Only what readers may see is indexed: published translations of published articles and
public claims.
"""

import json

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import override

from carnk_site.articles.models import Article
from carnk_site.evidence.models import Citation, Claim, citation_url
from carnk_site.search import index, scripts
from carnk_site.search.extract import plain_text, sections
from carnk_site.search.models import SearchDocument
from carnk_site.search.text import clean
from carnk_site.translations.models import ArticleTranslation, ClaimTranslation, TermTranslation

KIND = {
    ArticleTranslation: SearchDocument.Kind.ARTICLE,
    TermTranslation: SearchDocument.Kind.TERM,
    ClaimTranslation: SearchDocument.Kind.CLAIM,
}


def _sentences(pairs):
    """Return readable sentences as the index stores them: JSON [sentence, claim id or 0]."""
    return json.dumps(
        [[sentence, claim] for text, claim in pairs for sentence in scripts.sentences(text)], ensure_ascii=False
    )


def _article_rows(translation, claim_ids):
    language, url = translation.language, translation.get_absolute_url()
    for position, section in enumerate(sections(translation.body_html)):
        intro = position == 0
        summary = clean(f"{translation.summary} {plain_text(translation.key_points_html)}") if intro else ""
        yield SearchDocument(
            kind=SearchDocument.Kind.ARTICLE,
            language=language,
            key=translation.article.slug,
            position=position,
            article_id=translation.article_id,
            url=f"{url}#{section.anchor}" if section.anchor else url,
            title=translation.title,
            heading=section.heading,
            text_a=scripts.index_text(f"{translation.title} {section.heading}", language),
            text_b=scripts.index_text(summary, language),
            text_c=scripts.index_text(section.text, language),
            sentences=_sentences([(summary, 0)] * intro + [(t, claim_ids.get(s, 0)) for t, s in section.sentences]),
            boost=index.BOOST[SearchDocument.Kind.ARTICLE],
        )


def _term_rows(translation):
    language = translation.language
    yield SearchDocument(
        kind=SearchDocument.Kind.TERM,
        language=language,
        key=translation.term.slug,
        term_id=translation.term_id,
        url=translation.get_absolute_url(),
        title=translation.name,
        text_a=scripts.index_text(translation.name, language),
        text_b=scripts.index_text(translation.definition, language),
        text_c=scripts.index_text(plain_text(translation.explanation_html), language),
        sentences=_sentences([(translation.definition, 0)]),
        boost=index.BOOST[SearchDocument.Kind.TERM],
    )


def _claim_rows(translation):
    language, statement = translation.language, clean(translation.statement)
    first = Citation.objects.filter(claim_id=translation.claim_id).order_by("position").select_related("source").first()
    with override(language):
        url = "" if first is None else citation_url(first.source.slug, translation.claim.slug, first.position)
    yield SearchDocument(
        kind=SearchDocument.Kind.CLAIM,
        language=language,
        key=translation.claim.slug,
        claim_id=translation.claim_id,
        url=url if first else "",
        title=statement[:400],
        text_b=scripts.index_text(statement, language),
        sentences=_sentences([(statement, 0)]),
        boost=index.BOOST[SearchDocument.Kind.CLAIM],
    )


def documents(translation):
    """Return the index rows of one translation: none unless readers may see it."""
    if not type(translation).objects.published().filter(pk=translation.pk).exists():
        return []
    if isinstance(translation, ArticleTranslation):
        if not Article.objects.published().filter(pk=translation.article_id).exists():
            return []
        return list(_article_rows(translation, _claim_ids([translation.article_id])))
    if isinstance(translation, ClaimTranslation):
        return list(_claim_rows(translation)) if Claim.objects.public().filter(pk=translation.claim_id).exists() else []
    return list(_term_rows(translation))


def _claim_ids(article_ids):
    through = Article.claims.through.objects.filter(article_id__in=article_ids)
    return dict(through.values_list("claim__slug", "claim_id"))


def all_documents():
    """Return the rows of every published translation, for a full rebuild."""
    published_articles = Article.objects.published().values("pk")
    articles = ArticleTranslation.objects.published().filter(article__in=published_articles).select_related("article")
    claim_ids = _claim_ids(published_articles)
    for translation in articles:
        yield from _article_rows(translation, claim_ids)
    for translation in TermTranslation.objects.published().select_related("term"):
        yield from _term_rows(translation)
    claims = ClaimTranslation.objects.published().filter(claim__in=Claim.objects.public().values("pk"))
    for translation in claims.select_related("claim"):
        yield from _claim_rows(translation)


def reindex(translation):
    """Replace one translation's rows with what it holds now."""
    english_pk = getattr(translation, f"{translation.ENGLISH}_id")
    index.replace_language_documents(translation.language, KIND[type(translation)], english_pk, documents(translation))


def _on_change(sender, instance, **kwargs):
    transaction.on_commit(lambda: reindex(instance), using=kwargs.get("using"))


def connect():
    """Re-index a translation whenever it is saved or deleted, and join full rebuilds."""
    index.add_language_source(all_documents)
    for model in KIND:
        post_save.connect(_on_change, sender=model, dispatch_uid=f"search-{model.__name__}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"search-delete-{model.__name__}")
