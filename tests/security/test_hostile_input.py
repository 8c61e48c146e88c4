"""Hostile input in a real browser: every payload, in every field an editor writes, runs nothing.

Each payload of the corpus (tests/security/payloads.py) becomes one source, one claim citing it,
one glossary term and one article that rests on both, written once through the admin (as an
editor in the Editors group) and once as content files loaded by the importer. Chromium then
opens every page that shows those fields, with the site's real headers, opens the glossary and
citation pop-ups, and loads the admin lists and forms as the editor. Nothing may open a dialog,
run script, break the CSP or leave a javascript:, vbscript: or data: URL in the page.
"""

import datetime
import re
import textwrap
from pathlib import Path
from urllib.parse import quote_plus

import pytest
import yaml
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path

from carnk_site.articles.models import Article
from carnk_site.content_files.importer import InvalidContent, import_content
from carnk_site.evidence.models import Claim, Source
from carnk_site.glossary.models import Term
from carnk_site.text.checks import term_findings
from carnk_site.text.references import MAX_NAME_LENGTH
from carnk_site.text.rendering import RenderContext, UnknownReferences, render
from tests.conftest import article_form, write_content

from .conftest import admin_url, make_editor
from .payloads import PAYLOADS

TODAY = datetime.date(2026, 11, 21)


def test_corpus_is_large_and_covers_every_family():
    from . import payloads

    assert len(PAYLOADS) >= 100 and len(set(PAYLOADS)) == len(PAYLOADS)
    for family in ("SCRIPT_TAGS", "EVENT_HANDLERS", "URL_SCHEMES", "BROKEN_AND_NESTED", "SVG_AND_MATHML", "CSS"):
        assert len(getattr(payloads, family)) >= 8, family


def fit(model, field, value):
    """Cut a value to the field's length, as an editor hitting the limit would."""
    limit = model._meta.get_field(field).max_length
    return value[:limit] if limit else value


def renders(markdown):
    """Return True when the Markdown renders at all (unknown claim or term links are refused)."""
    try:
        render(markdown, RenderContext(claims={}, terms={}))
    except UnknownReferences:
        return False
    return True


def body_for(i, payload):
    links = f"This rests on [claim {i}](claim:hostile-{i}) and uses [term {i}](term:hostile-{i})."
    return f"{payload}\n\n{links}\n\n{payload}\n"


# Through the admin -----------------------------------------------------------------------------------


class AdminWriter:
    """Post the admin's add forms as an editor; fields the form refuses are retried with plain text."""

    def __init__(self, client):
        self.client = client
        self.refused = []

    def add(self, url, data, fallback, payload):
        response = self._post(url, data)
        if response.status_code == 200:
            fields = refused_fields(response.context)
            self.refused += [(url, field, payload) for field in sorted(fields)]
            narrow = {**data, **{f: fallback[f] for f in fields if f in fallback}}
            response = self._post(url, narrow) if "__all__" not in fields else response
        if response.status_code == 200:  # the refusal was pinned on another field than the culprit
            response = self._post(url, {**data, **fallback})
        assert response.status_code == 302, f"{url} refused even plain text: {refused_fields(response.context)}"

    def _post(self, url, data):
        response = self.client.post(admin_url(url), data)
        assert response.status_code in (200, 302), f"{url} answered {response.status_code}"
        return response


def refused_fields(context):
    fields = set(context["adminform"].form.errors)
    for inline in context.get("inline_admin_formsets") or []:
        for form in inline.formset.forms:
            fields |= {form.add_prefix(name) for name in form.errors}
    return fields


def write_through_admin(client):
    """Write every payload as a source, claim, term and draft article (in that order: terms re-save articles)."""
    writer = AdminWriter(client)
    numbered = list(enumerate(PAYLOADS))
    for i, payload in numbered:
        safe = f"Plain words {i}"
        writer.add(
            "evidence/source/add/",
            {
                "slug": f"hostile-{i}",
                "short_name": fit(Source, "short_name", payload),
                "kind": fit(Source, "kind", payload),
                "commercial": "on",
                "teller": "seller",
                "interests": fit(Source, "interests", payload),
                "title": fit(Source, "title", payload),
                "publisher": fit(Source, "publisher", payload),
                "author": fit(Source, "author", payload),
                "date": fit(Source, "date", payload),
                "text": f"Archived text {i}.\n\n{payload}\n",
                "change_note": payload,
            },
            fallback={f: safe for f in ("short_name", "kind", "interests", "title", "publisher", "author", "date")}
            | {"text": f"Archived text {i}. {safe}", "change_note": ""},
            payload=payload,
        )
    for i, payload in numbered:
        safe = f"Plain words {i}"
        source = Source.objects.get(slug=f"hostile-{i}")
        writer.add(
            "evidence/claim/add/",
            {
                "slug": f"hostile-{i}",
                "statement": payload,
                "evidence": "no-study",
                "participants": "",
                "citations-TOTAL_FORMS": "1",
                "citations-INITIAL_FORMS": "0",
                "citations-MIN_NUM_FORMS": "1",
                "citations-MAX_NUM_FORMS": "1000",
                "citations-0-source": str(source.pk),
                "citations-0-quote": payload if payload.strip() in source.text else safe,
                "citations-0-position": "1",
                "change_note": payload,
            },
            fallback={"statement": safe, "citations-0-quote": safe, "change_note": ""},
            payload=payload,
        )
    for i, payload in numbered:
        writer.add(
            "glossary/term/add/",
            {
                "slug": f"hostile-{i}",
                "term": f"{payload[: MAX_NAME_LENGTH - 5]} {i}",  # glossary names are capped for every way in
                # Numbered at both ends: a payload with a line separator splits into two names, each unique.
                "aliases": f"alias {i} {payload[: MAX_NAME_LENGTH - 20]} {i}",
                "definition": fit(Term, "definition", payload),
                "explanation": payload,
                "change_note": payload,
            },
            fallback={
                "term": f"Term {i}",
                "aliases": "",
                "definition": f"A plain word number {i}.",
                "explanation": "",
                "change_note": "",
            },
            payload=payload,
        )
    for i, payload in numbered:
        writer.add(
            "articles/article/add/",
            {
                "title": fit(Article, "title", payload),
                "slug": f"hostile-{i}",
                "summary": fit(Article, "summary", payload),
                "status": "draft",
                "order": str(100 + i),
                "last_reviewed": str(TODAY),
                "next_review_due": str(TODAY + datetime.timedelta(days=180)),
                "key_points": payload,
                "body": body_for(i, payload),
                "change_note": payload,
            },
            fallback={
                "title": f"Article {i}",
                "summary": f"Plain words {i}",
                "key_points": "",
                "body": body_for(i, f"Plain words {i}"),
                "change_note": "",
            },
            payload=payload,
        )
    return writer.refused


@pytest.mark.slow  # drives Chromium over every payload
@pytest.mark.django_db(transaction=True)
def test_payloads_written_through_the_admin_run_nothing_in_chromium(client, watched, live_server):
    editor = make_editor()
    client.force_login(editor)
    refused = write_through_admin(client)
    hostile = Article.objects.filter(slug__startswith="hostile-")
    assert hostile.count() == len(PAYLOADS)
    # Refused, rightly: NUL characters (Django's forms), links to claims or terms that do not exist, and
    # definitions longer than one sentence. Everything else is stored, and so reaches the pages below.
    unexpected = [
        (url, field, payload)
        for url, field, payload in refused
        if "\x00" not in payload
        and renders(payload)
        and not term_findings(payload)
        # A glossary name holds no control character: a form feed would split it into two names.
        and not (field in ("term", "aliases") and re.search(r"[\x00-\x08\x0b-\x1f\x7f]", payload))
    ]
    assert unexpected == []
    assert len({payload for _, _, payload in refused}) < len(PAYLOADS) / 4

    previews = {
        a.slug: client.post(admin_url(f"articles/article/{a.pk}/change/"), article_form(a, _preview="1"))
        for a in hostile.order_by("pk")[::3]
    }
    assert {r.status_code for r in previews.values()} == {200}
    hostile.update(status=Article.Status.PUBLISHED)  # what the admin stored is what readers now get

    reader = watched()
    problems = sweep_reader_pages(reader)
    for slug, response in previews.items():
        url = f"/preview/{slug}/"
        reader.context.route(live_server.url + url, serve(response))
        problems += reader.visit(url)

    staff = watched()
    staff.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    problems += sweep_admin_pages(staff)
    assert problems == []


def serve(response):
    """Return a route handler that answers with a response the test client got (a POST-only preview)."""
    return lambda route, request: route.fulfill(
        status=response.status_code, headers=dict(response.items()), body=response.content
    )


# Through content files ---------------------------------------------------------------------------------


def front_matter_file(data, body=""):
    return "---\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000) + "---\n" + body


def hostile_content_files():
    """Return the content files for every payload; Markdown refused for unknown links keeps to plain fields."""
    files = {}
    for i, payload in enumerate(PAYLOADS):
        # A file with a NUL character is refused outright, naming its line (tests/test_loader.py);
        # the rest of such a payload still goes through every field.
        payload = payload.replace("\x00", "")
        slug = f"hostile-{i}"
        markdown = payload if renders(payload) else f"Plain words {i}"
        # Capped fields get as much of the payload as fits: the loader refuses longer text by name.
        files[f"sources/{slug}.md"] = front_matter_file(
            {
                "id": slug,
                "title": payload[:300],
                "short_name": payload[:100],
                "publisher": payload[:200],
                "author": payload[:200],
                "date": payload[:100],
                "kind": payload[:200],
                "commercial": True,
                "teller": "seller",
                "interests": payload[:400],
            },
            f"Archived text {i}.\n\n{payload}\n",
        )
        files[f"claims/{slug}.yaml"] = yaml.safe_dump(
            {
                "id": slug,
                "statement": payload,
                "statement_kind": "finding",
                "about": "car-nk",
                "evidence": "no-study",
                "citations": [{"source": slug, "quote": payload}],
            },
            sort_keys=False,
            allow_unicode=True,
            width=10_000,
        )
        files[f"glossary/{slug}.md"] = front_matter_file(
            {
                "id": slug,
                "term": f"{payload[: MAX_NAME_LENGTH - 5]} {i}",
                "aliases": [f"alias {i} {payload}"[:MAX_NAME_LENGTH]],
                "definition": payload[:400],
            },
            markdown,
        )
        files[f"articles/{slug}.md"] = front_matter_file(
            {
                "id": slug,
                "title": payload[:200],
                "summary": payload[:300],
                "order": 100 + i,
                "status": "published",
                "last_reviewed": TODAY,
                "next_review_due": TODAY + datetime.timedelta(days=180),
                "key_points": [markdown],
            },
            body_for(i, markdown),
        )
    return files


@pytest.mark.slow  # drives Chromium over every payload
@pytest.mark.django_db(transaction=True)
def test_payloads_loaded_from_content_files_run_nothing_in_chromium(tmp_path, client, watched):
    files = {
        name: text.replace("status: published", "status: draft", 1) if name.startswith("articles/") else text
        for name, text in hostile_content_files().items()
    }
    root = write_content(tmp_path / "content", files)
    import_content(root)  # as drafts: the loader, like the admin, refuses to publish text failing the checks
    Article.objects.filter(slug__startswith="hostile-").update(status="published")  # a raw writer, unchecked
    assert Article.objects.filter(slug__startswith="hostile-", status="published").count() == len(PAYLOADS)
    assert Claim.objects.filter(slug__startswith="hostile-").count() == len(PAYLOADS)
    stored = set(Source.objects.values_list("title", flat=True))
    assert sum(p.strip() in stored for p in PAYLOADS) > 0.9 * len(PAYLOADS)

    problems = sweep_reader_pages(watched())
    editor = make_editor()
    client.force_login(editor)
    staff = watched()
    staff.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": staff.base_url}]
    )
    problems += sweep_admin_pages(staff, sample_every=40)
    assert problems == []


@pytest.mark.django_db
def test_markdown_links_to_unknown_claims_or_terms_are_refused_and_nothing_is_written(tmp_path):
    refused = [p for p in PAYLOADS if not renders(p)]
    assert refused, "the corpus should hold payloads hidden in claim: and term: links"
    files = hostile_content_files()
    files["articles/hostile-0.md"] = front_matter_file(
        {
            "id": "hostile-0",
            "title": "T",
            "summary": "S",
            "order": 1,
            "status": "draft",
            "last_reviewed": TODAY,
            "next_review_due": TODAY + datetime.timedelta(days=1),
        },
        "\n\n".join(refused),
    )
    with pytest.raises(InvalidContent) as caught:
        import_content(write_content(tmp_path / "content", files))
    assert all("refers to unknown" in str(e) for e in caught.value.errors)
    assert not Article.objects.exists() and not Source.objects.exists()


@pytest.mark.django_db
def test_yaml_tags_that_would_run_code_are_refused(tmp_path):
    marker = tmp_path / "pwned"
    article = textwrap.dedent(f"""\
        ---
        id: first
        title: !!python/object/apply:os.system ["touch {marker}"]
        summary: x
        ---
        Body.
        """)
    with pytest.raises(InvalidContent) as caught:
        import_content(write_content(tmp_path / "content", {"articles/first.md": article}))
    assert "malformed front matter" in str(caught.value)
    assert not marker.exists() and not Article.objects.exists()


# The sweeps --------------------------------------------------------------------------------------------


def sweep_reader_pages(tab):
    """Open every reader page that shows a hostile field, and each article's pop-ups; return the problems."""
    problems = []
    for url in ("/", "/glossary/", "/sources/", "/evidence/", "/search/?q=hostile"):
        problems += tab.visit(url)
    for slug in Source.objects.filter(slug__startswith="hostile-").values_list("slug", flat=True):
        problems += tab.visit(f"/sources/{slug}/")
        problems += tab.visit(f"/glossary/{slug}/")
    for n, article in enumerate(Article.objects.published().filter(slug__startswith="hostile-").order_by("pk")):
        problems += tab.visit(article.get_absolute_url())
        for trigger in ("a.term", ".claim a.cite") if n % 4 == 0 else ():
            link = tab.page.locator(trigger).first
            if link.count():
                link.click()
                tab.page.locator(".popup").wait_for()
                problems += [f"{article.slug} {trigger} pop-up: {p}" for p in tab.settle_events()]
                tab.page.keyboard.press("Escape")
    for payload in PAYLOADS[::5]:
        problems += tab.visit(f"/search/?q={quote_plus(payload[:100])}")
    return problems


def sweep_admin_pages(tab, sample_every=15):
    """Open the admin lists and a sample of forms and histories as the editor; return the problems."""
    problems = []
    for model in ("articles/article", "evidence/claim", "evidence/source", "glossary/term"):
        problems += tab.visit(admin_url(f"{model}/?all="))
    problems += tab.visit(admin_url("articles/article/overview/"))
    for model, objects in (
        ("articles/article", Article.objects),
        ("evidence/claim", Claim.objects),
        ("evidence/source", Source.objects),
        ("glossary/term", Term.objects),
    ):
        pks = objects.filter(slug__startswith="hostile-").order_by("pk").values_list("pk", flat=True)
        for pk in pks[::sample_every]:
            problems += tab.visit(admin_url(f"{model}/{pk}/change/"))
            # The editor script asks the server things as a form opens; the live server shares one SQLite
            # connection between its threads, so let those answers come before the next page is asked for.
            tab.page.wait_for_load_state("networkidle")
            problems += tab.visit(admin_url(f"{model}/{pk}/history/"))
    return problems


# The CSP, on its own --------------------------------------------------------------------------------------

UNSANITISED = """<!doctype html><html lang="en"><head><title>x</title>
<style>body { background: red }</style></head><body>
<script>alert("inline script")</script>
<img src="/missing.png" onerror="alert('event handler')">
<a id="js" href="javascript:alert('javascript url')">click</a>
<div id="styled" style="color: rgb(255, 0, 0)">styled</div>
<script>eval("alert('eval')")</script>
</body></html>"""


def unsanitised_page(request):
    return HttpResponse(UNSANITISED)


urlpatterns = [path("unsanitised/", unsanitised_page)]


@pytest.mark.django_db(transaction=True)
@override_settings(ROOT_URLCONF=__name__)
def test_csp_alone_stops_script_if_the_sanitiser_ever_failed(watched):
    tab = watched()
    problems = tab.visit("/unsanitised/")
    tab.page.click("#js")
    problems += tab.settle_events()
    assert not any(p.startswith(("dialog", "/unsanitised/: dialog")) for p in problems), problems
    assert sum("CSP violation" in p for p in problems) >= 3, problems
    assert tab.page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgb(255, 0, 0)"
    assert tab.page.evaluate("getComputedStyle(document.getElementById('styled')).color") != "rgb(255, 0, 0)"


# Nothing else marks text safe ------------------------------------------------------------------------------


def test_only_the_renderer_marks_html_safe_and_no_template_turns_escaping_off():
    """Titles, statements, quotes, definitions and source details reach pages through autoescaping only."""
    root = Path(__file__).resolve().parents[2]
    marking = re.compile(r"\bmark_safe\b|\bSafeString\b|\bSafeText\b|\bSafeData\b")
    python = [p for p in (root / "carnk_site").rglob("*.py") if "migrations" not in p.parts]
    offenders = [str(p.relative_to(root)) for p in python if marking.search(p.read_text())]
    assert offenders == ["carnk_site/text/sanitise.py"]
    unescaping = re.compile(r"\|\s*safe(seq)?\b|{%\s*autoescape\s+off|{%\s*filter\s+safe")
    templates = [p for p in (root / "templates").rglob("*.html") if unescaping.search(p.read_text())]
    assert templates == []
    trusted_fields = re.compile(r"trusted\(([^)]*)\)")
    for p in python:
        for argument in trusted_fields.findall(p.read_text()):
            assert argument.endswith(("_html", ".html", "html")), f"{p}: trusted({argument}) is not rendered HTML"
