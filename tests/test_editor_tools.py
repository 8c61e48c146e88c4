"""Editor tools: live preview, claim/term pickers and quote checks (admin JSON), and size limits."""

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from carnk_site.articles.models import Article
from carnk_site.core import limits
from carnk_site.evidence.models import Claim, Source
from carnk_site.glossary.models import Term
from carnk_site.review.roles import WRITERS_GROUP

from .conftest import article_form, make_article, make_claim, make_source, make_term

pytestmark = pytest.mark.django_db

PREVIEW = reverse("admin:articles_article_render_preview")
CLAIMS = reverse("admin:evidence_claim_search")
TERMS = reverse("admin:glossary_term_search")
SOURCE_TEXT = reverse("admin:evidence_source_text")
QUOTE_CHECK = reverse("admin:evidence_source_quote_check")


@pytest.fixture
def editor_client(client):
    writer = User.objects.create_user("writer", password="a-long-test-passphrase", is_staff=True)
    writer.groups.add(Group.objects.get(name=WRITERS_GROUP))
    client.force_login(writer)
    return client


def requests_for(source_pk=1):
    return [
        ("post", PREVIEW, {"body": "Hello."}),
        ("get", CLAIMS, {"q": "trial"}),
        ("get", TERMS, {"q": "cell"}),
        ("get", SOURCE_TEXT, {"source": source_pk}),
        ("post", QUOTE_CHECK, {"source": source_pk, "quote": "Eight"}),
    ]


# Who may ask -------------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client):
    source = make_source()
    for method, url, data in requests_for(source.pk):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url


def test_staff_without_content_permissions_are_refused(client):
    source = make_source()
    client.force_login(User.objects.create_user("clerk", password="x-long-passphrase", is_staff=True))
    for method, url, data in requests_for(source.pk):
        response = getattr(client, method)(url, data)
        assert response.status_code == 403, url
        assert response.json()["ok"] is False


def test_editors_get_answers_that_are_never_cached(editor_client):
    source = make_source()
    for method, url, data in requests_for(source.pk):
        response = getattr(editor_client, method)(url, data)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert response["Content-Type"] == "application/json"


def test_preview_needs_the_csrf_token():
    writer = User.objects.create_user("writer", password="a-long-test-passphrase", is_staff=True)
    writer.groups.add(Group.objects.get(name=WRITERS_GROUP))
    client = Client(enforce_csrf_checks=True)
    client.force_login(writer)
    assert client.post(PREVIEW, {"body": "Hello."}).status_code == 403
    assert client.get(PREVIEW).status_code == 405


# Live preview --------------------------------------------------------------------------------------------


def test_preview_renders_unsaved_markdown_with_the_sites_renderer(editor_client):
    make_claim()
    make_term()
    body = "An NK cell story: [8 of 11 people responded](claim:test-claim).\n\n## Next\n\n<script>x()</script>"
    response = editor_client.post(PREVIEW, {"body": body, "key_points": "It is early.\nIt is small."})
    data = response.json()
    page = BeautifulSoup(data["body_html"], "html.parser")
    assert page.select_one('span[data-claim="test-claim"] .evidence').get_text(" ", strip=True).startswith("(")
    assert "Phase I · 11 people" in page.select_one('span[data-claim="test-claim"] .evidence').get_text()
    assert page.select_one("a.term")["href"] == reverse("glossary:term", args=["natural-killer-cell"])
    assert page.select_one("h2#next") is not None and page.find("script") is None
    assert [li.get_text() for li in BeautifulSoup(data["key_points_html"], "html.parser").select("li")] == [
        "It is early.",
        "It is small.",
    ]
    assert Article.objects.count() == 0


def test_preview_names_the_claim_or_term_that_does_not_exist(editor_client):
    response = editor_client.post(PREVIEW, {"body": "[a](claim:no-such-claim) and [b](term:no-such-term)"})
    assert response.status_code == 200 and response.json()["ok"] is False
    error = response.json()["error"]
    assert "claim 'no-such-claim'" in error and "term 'no-such-term'" in error


def test_preview_refuses_text_over_the_limit_with_the_numbers(editor_client):
    response = editor_client.post(PREVIEW, {"body": "a" * (limits.ARTICLE_BODY + 1)})
    assert response.status_code == 413
    assert (
        f"{limits.ARTICLE_BODY + 1:,} characters long; the limit is {limits.ARTICLE_BODY:,}" in response.json()["error"]
    )
    response = editor_client.post(PREVIEW, {"body": "ok", "key_points": "b" * (limits.ARTICLE_KEY_POINTS + 1)})
    assert response.status_code == 413 and "key points" in response.json()["error"]


# Pickers -------------------------------------------------------------------------------------------------


def test_claim_search_ranks_claims_with_every_word_first_and_shows_labels(editor_client):
    source = make_source()
    make_claim("trial-response", source=source, statement="In a small trial, 8 of 11 people responded.")
    make_claim("lab-mice", source=source, statement="In mice, the cells shrank tumours.", evidence="preclinical")
    results = editor_client.get(CLAIMS, {"q": "small trial responded"}).json()["results"]
    assert results[0] == {
        "id": "trial-response",
        "label": "Phase I · 11 people · told by a news report",
        "statement": "In a small trial, 8 of 11 people responded.",
    }
    by_id = editor_client.get(CLAIMS, {"q": "lab-mice"}).json()["results"]
    assert [r["id"] for r in by_id] == ["lab-mice"]
    assert editor_client.get(CLAIMS, {"q": "zebra"}).json()["results"] == []


def test_claim_search_shows_at_most_twenty(editor_client):
    source = make_source()
    for n in range(25):
        make_claim(f"claim-{n:02}", source=source)
    assert len(editor_client.get(CLAIMS, {"q": "trial"}).json()["results"]) == 20
    assert len(editor_client.get(CLAIMS).json()["results"]) == 20


def test_term_search_finds_a_term_by_its_other_name(editor_client):
    make_term()
    make_term("cytokine-release-syndrome", "Cytokine release syndrome", "CRS")
    results = editor_client.get(TERMS, {"q": "CRS"}).json()["results"]
    assert results[0]["id"] == "cytokine-release-syndrome" and results[0]["aliases"] == ["CRS"]


def test_term_search_puts_an_exact_name_first_then_names_it_begins_then_the_rest(editor_client):
    make_term("anti-crs-medicines", "Anti-CRS medicines", "")
    make_term("crs-grade", "CRS grade", "")
    make_term("crs-and-icans", "CRS and ICANS", "")
    make_term("cytokine-release-syndrome", "Cytokine release syndrome", "CRS\ncytokine storm")
    make_term("severe-crs", "Severe cytokine release syndrome (CRS)", "")

    def ids(q):
        return [r["id"] for r in editor_client.get(TERMS, {"q": q}).json()["results"]]

    expected = ["cytokine-release-syndrome", "crs-and-icans", "crs-grade", "anti-crs-medicines", "severe-crs"]
    assert ids("crs") == expected
    assert ids(" CRS ") == expected
    assert ids("Cytokine STORM")[0] == "cytokine-release-syndrome"


def test_term_search_never_leaves_out_an_exact_name(editor_client):
    for n in range(25):
        make_term(f"crs-grade-{n:02}", f"CRS grade {n:02}", "")
    make_term("cytokine-release-syndrome", "Cytokine release syndrome", "CRS")
    results = editor_client.get(TERMS, {"q": "CRS"}).json()["results"]
    assert len(results) == 20
    assert [r["id"] for r in results[:3]] == ["cytokine-release-syndrome", "crs-grade-00", "crs-grade-01"]


def test_claim_search_puts_an_exact_id_first_then_ids_it_begins(editor_client):
    source = make_source()
    for n in range(22):
        make_claim(f"a-crs-rare-{n:02}", source=source)
    make_claim("crs-rare-in-children", source=source)
    make_claim("crs-rare", source=source)
    results = [r["id"] for r in editor_client.get(CLAIMS, {"q": "CRS-rare"}).json()["results"]]
    assert results[:3] == ["crs-rare", "crs-rare-in-children", "a-crs-rare-00"]
    assert len(results) == 20


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("CRS", "cytokine-release-syndrome"),
        ("NK cell", "natural-killer-cell"),
        ("natural killer cells", "natural-killer-cell"),
        ("T cell", "t-cell"),
        ("MM", "multiple-myeloma"),
        ("cell therapy", "cell-therapy"),
        ("white-blood-cell", "white-blood-cell"),
    ],
)
def test_with_the_shipped_glossary_the_exact_name_comes_first(editor_client, site_content, typed, expected):
    assert editor_client.get(TERMS, {"q": typed}).json()["results"][0]["id"] == expected


def test_with_the_shipped_content_every_exact_name_and_id_comes_first(editor_client, site_content):
    named = {}
    for term in Term.objects.all():
        for name in {term.slug, term.term, *term.alias_list}:
            named.setdefault(name.casefold(), set()).add(term.slug)
    misplaced = []
    for name, slugs in named.items():
        first = editor_client.get(TERMS, {"q": name}).json()["results"][0]["id"]
        if first not in slugs:
            misplaced.append((name, first))
    for slug in Claim.objects.values_list("slug", flat=True):
        first = editor_client.get(CLAIMS, {"q": slug.upper()}).json()["results"][0]["id"]
        if first != slug:
            misplaced.append((slug, first))
    assert misplaced == []


# Quote picker --------------------------------------------------------------------------------------------


def test_source_text_is_the_archived_text(editor_client):
    source = make_source()
    data = editor_client.get(SOURCE_TEXT, {"source": source.pk}).json()
    assert data == {"id": source.pk, "short_name": "Test source", "text": source.text}
    assert editor_client.get(SOURCE_TEXT, {"source": 999}).status_code == 404
    assert editor_client.get(SOURCE_TEXT, {"source": "x' or 1=1"}).status_code == 404


@pytest.mark.parametrize(
    ("quote", "verbatim"),
    [
        ("Eight of the 11 patients responded", True),
        ("Eight  of the 11\npatients responded", True),  # whitespace folds, as on save
        ("Eight of the 12 patients responded", False),
        ("", False),
    ],
)
def test_quote_check_applies_the_save_rule(editor_client, quote, verbatim):
    source = make_source()
    data = editor_client.post(QUOTE_CHECK, {"source": source.pk, "quote": quote}).json()
    assert data == {"verbatim": verbatim, "source": "Test source"}


def test_quote_check_folds_curly_quotes_and_dashes():
    from carnk_site.text.quotes import quote_in_text

    assert quote_in_text("“safe” – so far", 'It is "safe" - so far.')


# Size limits ---------------------------------------------------------------------------------------------


def test_change_forms_state_each_limit_and_load_the_editor(admin_client):
    article = make_article()
    html = admin_client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    page = BeautifulSoup(html, "html.parser")
    body = page.select_one("#id_body")
    assert body["data-max-length"] == str(limits.ARTICLE_BODY) and not body.has_attr("maxlength")
    assert f"Up to {limits.ARTICLE_BODY:,} characters." in page.select_one("#id_body_helptext").get_text()
    assert "Up to 2,000 characters." in page.select_one("#id_key_points_helptext").get_text()
    config = page.select_one("#editor-config")
    assert config["data-model"] == "articles.article" and config["data-object"] == str(article.pk)
    assert config["data-preview-url"] == PREVIEW and config["data-claim-search-url"] == CLAIMS
    assert page.select_one('script[src$="admin-editor/editor.js"]') is not None
    source = make_source()
    html = admin_client.get(reverse("admin:evidence_source_change", args=[source.pk])).content.decode()
    page = BeautifulSoup(html, "html.parser")
    assert "Up to 1,000,000 characters." in page.select_one("#id_text_helptext").get_text()
    assert "verbatim" in page.select_one("#id_text_helptext").get_text()
    assert "sells access to treatment" in page.select_one("#id_commercial_helptext").get_text()


def test_an_article_body_over_the_limit_is_refused_with_a_clear_message(admin_client):
    article = make_article(status="draft")
    paragraph = "word " * 99 + "word\n\n"  # short paragraphs: the renderer also bounds each paragraph
    too_long = paragraph * (limits.ARTICLE_BODY // len(paragraph) + 1)
    response = admin_client.post(
        reverse("admin:articles_article_change", args=[article.pk]), article_form(article, body=too_long)
    )
    assert response.status_code == 200
    expected = f"{len(too_long.strip()):,} characters long; the limit is {limits.ARTICLE_BODY:,}"
    assert expected in response.content.decode()
    article.refresh_from_db()
    assert article.body == "Plain text."


def test_line_breaks_count_once_as_the_editor_sees_them(admin_client):
    article = make_article(status="draft")
    # As many characters as the limit allows in the browser, where a line break is one character,
    # though the browser sends it as two.
    body = "aaaaaaaaa\r\n\r\n" * (limits.ARTICLE_BODY // 11)
    response = admin_client.post(
        reverse("admin:articles_article_change", args=[article.pk]), article_form(article, body=body)
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("url_name", "field", "most"),
    [
        ("admin:evidence_claim_add", "statement", limits.CLAIM_STATEMENT),
        ("admin:glossary_term_add", "explanation", limits.TERM_EXPLANATION),
        ("admin:evidence_source_add", "text", limits.SOURCE_TEXT),
    ],
)
def test_other_long_fields_are_refused_over_their_limit(admin_client, url_name, field, most):
    response = admin_client.post(reverse(url_name), {field: "x" * (most + 1)})
    assert response.status_code == 200
    assert f"the limit is {most:,}" in response.content.decode()


def test_the_largest_allowed_source_text_fits_in_one_request(admin_client):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE >= 3 * limits.SOURCE_TEXT
    text = "The cells were given. " * (limits.SOURCE_TEXT // 22)
    data = {
        "slug": "big",
        "short_name": "Big",
        "kind": "News",
        "teller": "news-report",
        "interests": "None.",
        "text": text,
        "change_note": "",
        "seen_edit_token": "",
    }
    response = admin_client.post(reverse("admin:evidence_source_add"), data)
    assert response.status_code == 302
    assert len(Source.objects.get(slug="big").text) > 999_000


def test_a_request_over_the_server_limit_explains_itself(admin_client):
    response = admin_client.post(
        reverse("admin:evidence_source_add"), {"text": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}
    )
    assert response.status_code == 400
    assert "this browser kept a copy of what you typed" in response.content.decode()
