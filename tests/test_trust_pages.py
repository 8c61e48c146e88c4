"""Trust pages: seeded in plain words, edited in the admin with history, linked from every page's footer."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from reversion.models import Version

from carnk_site.about.models import TrustPage
from carnk_site.text.readability import grade_level

from .conftest import make_article

pytestmark = pytest.mark.django_db
PAGES = {
    "about": "About this site",
    "how-we-make-this-content": "How we make this content",
    "accessibility": "Accessibility statement",
    "report-a-mistake": "Report a mistake",
}


@pytest.mark.parametrize(("slug", "title"), PAGES.items())
def test_each_trust_page_is_public_cacheable_and_has_one_heading(client, slug, title):
    response = client.get(f"/pages/{slug}/")
    assert response.status_code == 200 and "public" in response["Cache-Control"]
    page = BeautifulSoup(response.content, "html.parser")
    assert [h.get_text() for h in page.find_all("h1")] == [title]


def text_of(slug):
    return BeautifulSoup(TrustPage.objects.get(slug=slug).body_html, "html.parser").get_text(" ")


@pytest.mark.parametrize("slug", PAGES)
def test_seeded_pages_are_plain_and_name_nobody(slug):
    text = text_of(slug)
    assert grade_level(text) <= 9
    for placeholder in ("TODO", "TBC", "[name", "XXX", "Lorem", "placeholder"):
        assert placeholder.lower() not in text.lower()
    assert "Dr " not in text and "Ltd" not in text and "Inc." not in text


def test_about_states_independence_and_interests():
    text = text_of("about")
    for fact in ("independent", "no commercial interest", "sell nothing", "no advertising"):
        assert fact in text


def test_policy_covers_what_a_medical_publisher_must_publish():
    headings = [
        h.get_text()
        for h in BeautifulSoup(
            TrustPage.objects.get(slug="how-we-make-this-content").body_html, "html.parser"
        ).find_all("h2")
    ]
    assert headings == [
        "How we choose sources",
        "How we label evidence",
        "How we review pages",
        "Clinical sign-off",
        "Corrections",
    ]
    text = text_of("how-we-make-this-content")
    assert "Commercial source" in text and "Not yet reviewed by a clinician" in text and "Phase I/II" in text


def test_accessibility_statement_names_its_standard_known_issues_and_how_to_report():
    page = TrustPage.objects.get(slug="accessibility")
    assert "WCAG) 2.2 at level AA" in text_of("accessibility")
    assert "Known issues" in page.body and "How to report a problem" in page.body


def test_every_page_links_to_the_trust_pages_in_its_footer(client):
    make_article()
    for url in ("/", "/articles/test-article/", "/glossary/", "/pages/about/", "/no-such-page/"):
        footer = BeautifulSoup(client.get(url).content, "html.parser").select_one("footer nav.footer-links")
        assert {a["href"] for a in footer.find_all("a")} == {f"/pages/{slug}/" for slug in PAGES}, url


def test_editing_a_trust_page_renders_once_keeps_history_and_refuses_claim_links(admin_client, client):
    page = TrustPage.objects.get(slug="about")
    url = reverse("admin:trust_trustpage_change", args=[page.pk])
    form = {
        "title": page.title,
        "slug": page.slug,
        "summary": page.summary,
        "body": "We are **independent**.",
        "change_note": "Shorter",
        "seen_edit_token": page.edit_token,
    }
    assert admin_client.post(url, form).status_code == 302
    page.refresh_from_db()
    assert page.body_html == "<p>We are <strong>independent</strong>.</p>"
    assert Version.objects.get_for_object(page).first().revision.comment == "Shorter"
    assert "<strong>independent</strong>" in client.get("/pages/about/").content.decode()
    refused = admin_client.post(url, {**form, "body": "[x](claim:nothing)", "seen_edit_token": page.edit_token})
    assert refused.status_code == 200 and "only work in articles" in refused.content.decode()


def test_markdown_in_trust_pages_is_sanitised():
    page = TrustPage(slug="t", title="T", summary="S", body="<script>alert(1)</script> [x](javascript:alert(1))")
    page.save()
    assert "<script" not in page.body_html and "javascript:" not in page.body_html


def test_unknown_trust_page_is_404(client):
    assert client.get("/pages/nothing-here/").status_code == 404
