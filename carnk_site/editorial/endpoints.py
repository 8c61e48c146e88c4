"""JSON the admin's editor tools ask for while an editor types: live preview, pickers, quote checks.

Each view takes the model admin it is registered on (EditorialAdmin.editor_endpoints), so the
admin site's own wrapper signs editors in, protects POSTs against CSRF and forbids caching,
and the model admin's permissions decide who may ask. Nothing here writes to the database.

The claim and term pickers take `?lang=zh-hans|hi` from the translation admin: they then show and
match each record's translation into that language (published or still a draft, as the translator
needs it), the English beside it, so a translator links the statement the page will show.
"""

import re

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _

from carnk_site.core import limits
from carnk_site.publishing.records import render_article
from carnk_site.reliability.limits import live_preview_slot
from carnk_site.reliability.priority import run_at_low_priority
from carnk_site.text.quotes import quote_in_text
from carnk_site.text.rendering import RenderRefused, UnknownReferences
from carnk_site.translations.models import ClaimTranslation, TermTranslation, translated_languages

RESULTS_SHOWN = 20
QUERY_MOST = 200
WORD = re.compile(r"[\w'-]+")


def _error(message, status):
    return JsonResponse({"ok": False, "error": message}, status=status)


def _forbidden():
    return _error(_("You do not have permission to do this."), 403)


def _too_long(what, text, most):
    found = limits.length(text)
    if found <= most:
        return None
    return _error(
        _("%(what)s is %(found)s characters long; the limit is %(most)s.")
        % {"what": what, "found": f"{found:,}", "most": f"{most:,}"},
        413,
    )


def render_preview(model_admin, request):
    """Render unsaved Markdown with the site's one rendering function, exactly as saving would.

    Every answer is JSON the editor shows: text the renderer refuses (too long, too many headings,
    nested too deeply) is a 422 naming why, and a preview beyond the per-editor or site-wide limit
    is a 429 to try again, and the render runs at a lower CPU priority, so editors typing cannot take
    the workers or the CPUs readers need.
    """
    if request.method != "POST":
        return _error(_("Send the text with POST."), 405)
    if not (model_admin.has_change_permission(request) or model_admin.has_add_permission(request)):
        return _forbidden()
    body = request.POST.get("body", "")
    key_points = request.POST.get("key_points", "")
    refused = _too_long(_("The body"), body, limits.ARTICLE_BODY) or _too_long(
        _("The key points"), key_points, limits.ARTICLE_KEY_POINTS
    )
    if refused:
        return refused
    with live_preview_slot(request.user.pk) as free:
        if not free:
            busy = _error(_("Other previews are being prepared; this one follows in a moment."), 429)
            busy["Retry-After"] = "2"
            return busy
        return run_at_low_priority(_rendered_preview, model_admin.model(body=body, key_points=key_points))


def _rendered_preview(article):
    try:
        render_article(article)
    except UnknownReferences as exc:
        # An answer, not a failure: while an id is half typed it names nothing yet (and 4xx would fill the logs).
        return JsonResponse({"ok": False, "error": str(exc)})
    except RenderRefused as exc:
        return _error(str(exc), 422)
    return JsonResponse(
        {
            "ok": True,
            "key_points_html": article.key_points_html,
            "body_html": article.body_html,
            "reading_minutes": article.reading_minutes,
        }
    )


def _ranked(records, query, names, haystack):
    """Return the records matching the query: exact names first, then names it begins, then the rest.

    Within each group the records keep the order word matching gives them (every query word
    first), then the order they came in. An exact name is never cut off by RESULTS_SHOWN.
    """
    query = query[:QUERY_MOST]
    words = [w.casefold() for w in WORD.findall(query)]
    if not words:
        return records[:RESULTS_SHOWN]
    typed = " ".join(query.casefold().split())
    scored = []
    for record in records:
        text = haystack(record).casefold()
        found = sum(word in text for word in words)
        if found:
            folded = [" ".join(name.casefold().split()) for name in names(record)]
            group = 0 if typed in folded else 1 if any(name.startswith(typed) for name in folded) else 2
            scored.append((group, -(found == len(words)), -found, record))
    scored.sort(key=lambda item: item[:3])
    exact = sum(1 for item in scored if item[0] == 0)
    return [record for *_rank, record in scored[: max(RESULTS_SHOWN, exact)]]


def _picker_language(request):
    """Return the language a picker was asked in (English by default), or None for one the site does not have."""
    language = request.GET.get("lang") or settings.LANGUAGE_CODE
    if language == settings.LANGUAGE_CODE or language in dict(translated_languages()):
        return language
    return None


def _bad_language():
    return _error(_("lang must be one of: %(codes)s.") % {"codes": ", ".join(c for c, _n in settings.LANGUAGES)}, 400)


def claim_search(model_admin, request):
    """Return the claims whose id or statement best match the query, with their evidence labels.

    In another language, each claim's translated statement is matched and shown (the English beside it).
    """
    if not model_admin.has_view_permission(request):
        return _forbidden()
    language = _picker_language(request)
    if language is None:
        return _bad_language()
    claims = list(model_admin.model.objects.only("slug", "statement", "evidence", "participants").order_by("slug"))
    translated = {}
    if language != settings.LANGUAGE_CODE:
        translated = dict(ClaimTranslation.objects.filter(language=language).values_list("claim_id", "statement"))
    found = _ranked(
        claims,
        request.GET.get("q", ""),
        lambda c: [c.slug, c.statement, translated.get(c.pk, "")],
        lambda c: f"{c.slug} {c.statement} {translated.get(c.pk, '')}",
    )
    results = []
    for c in found:
        result = {"id": c.slug, "label": c.label, "statement": translated.get(c.pk, c.statement)}
        if language != settings.LANGUAGE_CODE:
            result.update(english=c.statement, translated=c.pk in translated, language=language)
        results.append(result)
    return JsonResponse({"results": results})


def term_search(model_admin, request):
    """Return the glossary terms whose name, other names, id or definition best match the query.

    In another language, each term's translated name and definition are matched and shown (the English beside).
    """
    if not model_admin.has_view_permission(request):
        return _forbidden()
    language = _picker_language(request)
    if language is None:
        return _bad_language()
    terms = list(model_admin.model.objects.only("slug", "term", "aliases", "definition").order_by("term"))
    translated = {}
    if language != settings.LANGUAGE_CODE:
        rows = TermTranslation.objects.filter(language=language).values_list("term_id", "name", "definition")
        translated = {pk: (name, definition) for pk, name, definition in rows}
    found = _ranked(
        terms,
        request.GET.get("q", ""),
        lambda t: [t.slug, t.term, *t.alias_list, translated.get(t.pk, ("", ""))[0]],
        lambda t: f"{t.slug} {t.term} {t.aliases} {t.definition} {' '.join(translated.get(t.pk, ()))}",
    )
    results = []
    for t in found:
        name, definition = translated.get(t.pk, (t.term, t.definition))
        result = {"id": t.slug, "term": name, "aliases": t.alias_list, "definition": definition}
        if language != settings.LANGUAGE_CODE:
            result.update(english=t.term, translated=t.pk in translated, language=language)
        results.append(result)
    return JsonResponse({"results": results})


def _source(model_admin, request, value):
    if not model_admin.has_view_permission(request):
        return None, _forbidden()
    source = model_admin.model.objects.filter(pk=value).first() if str(value).isdigit() else None
    if source is None:
        return None, _error(_("No source with id %(id)s.") % {"id": value}, 404)
    return source, None


def source_text(model_admin, request):
    """Return a source's archived text, for picking a quote from it."""
    source, refused = _source(model_admin, request, request.GET.get("source", ""))
    if refused:
        return refused
    return JsonResponse({"id": source.pk, "short_name": source.short_name, "text": source.text})


def quote_check(model_admin, request):
    """Say whether a quote appears word for word in a source, by the rule saving applies."""
    if request.method != "POST":
        return _error(_("Send the quote with POST."), 405)
    source, refused = _source(model_admin, request, request.POST.get("source", ""))
    if refused:
        return refused
    quote = request.POST.get("quote", "")
    refused = _too_long(_("The quote"), quote, limits.CITATION_QUOTE)
    if refused:
        return refused
    return JsonResponse({"verbatim": quote_in_text(quote, source.text), "source": source.short_name})
