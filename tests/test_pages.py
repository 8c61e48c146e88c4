"""Public pages: every one answers with one h1; drafts stay hidden; admin edits show; queries stay flat."""

import json

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from carnk_site.articles.models import Article
from carnk_site.evidence.models import Source
from carnk_site.glossary.models import Term

from .conftest import (
    PUBLISHABLE_BODY,
    PUBLISHABLE_POINTS,
    article_form,
    make_article,
    make_claim,
    make_source,
    make_term,
    publish_change,
)

pytestmark = pytest.mark.django_db


def public_urls():
    urls = [reverse("pages:home"), reverse("glossary:index"), reverse("evidence:levels"), reverse("evidence:sources")]
    urls += [a.get_absolute_url() for a in Article.objects.published()]
    urls += [t.get_absolute_url() for t in Term.objects.all()]
    urls += [s.get_absolute_url() for s in Source.objects.all()]
    return urls


def test_every_public_page_answers_with_exactly_one_h1(client, site_content):
    urls = public_urls()
    assert len(urls) > 40
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert len(BeautifulSoup(response.content, "html.parser").find_all("h1")) == 1, url


def test_article_page_shows_labels_citations_terms_dates_and_sources(client, site_content):
    article = Article.objects.published().first()
    page = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    spans = page.select("span[data-claim][data-evidence]")
    assert len(spans) >= 5
    covered = {slug for a in page.select(".evidence a.evidence-label") for slug in a["data-covers"].split()}
    assert {span["data-claim"] for span in spans} <= covered, "every claim has a visible label"
    assert all(a.get_text(strip=True) for a in page.select(".evidence a.evidence-label"))
    for span in spans:
        entry = page.find(id=f"claim-{span['data-claim']}")
        assert entry is not None and entry.select_one("a.cite")["href"].startswith("/sources/")
    assert len(page.select("a[data-term]")) >= 3
    text = page.get_text(" ")
    assert "last checked by our editors on" in text and "Next review due" in text
    cited = page.select(".sources-cited li a")
    assert cited and all(a["href"].startswith("/sources/") for a in cited)


def test_citation_link_lands_on_the_quoted_passage(client, site_content):
    article = Article.objects.published().first()
    page = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    href = page.select_one(".claims-cited a.cite")["href"]
    path, anchor = href.split("#")
    source_page = BeautifulSoup(client.get(path, follow=True).content, "html.parser")  # to the page holding it
    passage = source_page.find(id=anchor)
    assert passage is not None and passage.blockquote.get_text(strip=True)


def test_commercial_source_page_carries_label_and_interests(client, site_content):
    source = Source.objects.filter(commercial=True).first()
    page = BeautifulSoup(client.get(source.get_absolute_url()).content, "html.parser")
    notice = page.select_one(".notice.commercial")
    assert "Commercial source" in notice.get_text() and source.interests in notice.get_text()


def test_drafts_are_never_shown(client):
    make_claim()
    make_article(slug="hidden", title="Secret draft", status=Article.Status.DRAFT, body="[x](claim:test-claim)")
    make_article(slug="in-review", title="Under review", status=Article.Status.REVIEW)
    assert client.get("/articles/hidden/").status_code == 404
    assert client.get("/articles/in-review/").status_code == 404
    home = client.get("/").content.decode()
    assert "Secret draft" not in home and "Under review" not in home
    assert json.loads(client.get("/claims.json").content)["claims"] == []


def test_unknown_page_answers_404_with_friendly_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_claims_json_lists_published_claims_with_citations_and_articles(client, site_content):
    data = json.loads(client.get("/claims.json").content)
    source_ids = {s["id"] for s in data["sources"]}
    assert len(source_ids) == 5
    assert all({"id", "title", "kind", "commercial"} <= s.keys() for s in data["sources"])
    for claim in data["claims"]:
        assert claim["evidence"]["level"] and claim["evidence"]["label"]
        assert claim["citations"] and all(c["source"] in source_ids for c in claim["citations"])
        assert claim["articles"]


def test_editor_change_in_admin_shows_on_public_page(admin_client):
    make_claim()
    article = make_article(body="Old words.")
    publish_change(admin_client, article, body=PUBLISHABLE_BODY, key_points=PUBLISHABLE_POINTS)
    page = admin_client.get(article.get_absolute_url()).content.decode()
    assert "New words" in page and 'data-claim="test-claim"' in page and "Old words" not in page


def test_admin_rejects_reference_to_missing_claim_naming_it(admin_client):
    article = make_article(body="Old words.")
    form = article_form(article, body="[gone](claim:no-such-claim)")
    response = admin_client.post(reverse("admin:articles_article_change", args=[article.pk]), form)
    assert response.status_code == 200
    assert "no-such-claim" in response.content.decode()
    article.refresh_from_db()
    assert article.body == "Old words."


def test_article_page_queries_do_not_grow_with_claims_or_terms(client, django_assert_max_num_queries):
    source = make_source()
    few = make_article(slug="few", body="[one](claim:c0)", order=1) if make_claim("c0", source) else None
    for i in range(1, 40):
        make_claim(f"c{i}", source)
        make_term(slug=f"term-{i}", term=f"Word{i}", aliases="")
    many_body = " ".join(f"[fact {i}](claim:c{i}) Word{i}." for i in range(40))
    many = make_article(slug="many", body=many_body, order=2)
    assert many.claims.count() == 40 and many.terms.count() == 39
    counts = []
    for article in (few, many):
        with django_assert_max_num_queries(3) as queries:
            response = client.get(article.get_absolute_url())
            assert response.status_code == 200
        counts.append(len(queries))
        # Nothing drawn per statement: both evidence sections come as stored when the article was saved.
        drawn = {t.name for t in response.templates}
        assert not drawn & {"evidence/_profile.html", "articles/_claims_cited.html", "articles/_profile_details.html"}
    assert counts[0] == counts[1], "the same queries for one statement as for forty"


def test_an_articles_previous_and_next_are_its_neighbours_in_reading_order(client):
    """Order first, then title; drafts are skipped; the first has no previous and the last no next."""
    shape = [(2, "B", "published"), (1, "Z", "published"), (2, "A", "published"), (2, "C", "draft")]
    shape += [(2, "D", "published"), (3, "A", "draft"), (0, "Q", "draft"), (3, "B", "published")]
    for n, (order, title, status) in enumerate(shape):
        make_article(slug=f"a{n}", title=title, order=order, status=status)
    ordered = [f"a{n}" for n, row in sorted(enumerate(shape), key=lambda x: x[1][:2]) if row[2] == "published"]
    assert ordered == ["a1", "a2", "a0", "a4", "a7"]
    for position, slug in enumerate(ordered):
        page = BeautifulSoup(client.get(f"/articles/{slug}/").content, "html.parser")
        shown = [page.select_one(f"a[rel={rel}]") for rel in ("prev", "next")]
        expected = [
            ordered[position - 1] if position else None,
            ordered[position + 1] if position + 1 < len(ordered) else None,
        ]
        assert [link and link["href"].split("/")[2] for link in shown] == expected, slug


def test_an_articles_stored_evidence_sections_are_the_ones_drawn_from_its_profile(client, site_content):
    from carnk_site.articles.evidence_sections import evidence_sections

    articles = [a for a in Article.objects.published() if a.evidence_profile.get("total")]
    assert articles
    for article in articles:
        assert (article.profile_html, article.claims_cited_html) == evidence_sections(article.evidence_profile)
        assert 'id="claims-cited"' in article.claims_cited_html and "profile-details" in article.profile_html
        stored = client.get(article.get_absolute_url()).content
        Article.objects.filter(pk=article.pk).update(profile_html="", claims_cited_html="")
        assert client.get(article.get_absolute_url()).content == stored, article.slug
    assert evidence_sections({}) == ("", "") and evidence_sections({"total": 0}) == ("", "")


def test_an_article_in_another_language_draws_its_evidence_sections_in_that_language(client, site_content):
    article = Article.objects.published().exclude(evidence_profile={}).first()
    Article.objects.filter(pk=article.pk).update(profile_html="STORED-PROFILE", claims_cited_html="STORED-CLAIMS")
    english = client.get(article.get_absolute_url()).content.decode()
    assert "STORED-PROFILE" in english and "STORED-CLAIMS" in english
    other = client.get(f"/zh-hans{article.get_absolute_url()}")
    assert other.status_code == 200
    page = other.content.decode()
    assert "STORED-" not in page and 'id="claims-cited"' in page and "profile-details" in page


def test_admin_shows_editorial_checks_as_warnings(admin_client):
    make_claim()
    article = make_article(body="A proven treatment helped 70% of people.", status="draft")
    form = article_form(article)
    response = admin_client.post(reverse("admin:articles_article_change", args=[article.pk]), form, follow=True)
    shown = [str(m) for m in response.context["messages"]]
    assert any("wording: “proven”" in m for m in shown)
    assert any("numbers:" in m and "70%" in m for m in shown)
    page = admin_client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert "Editorial checks" in page and "overstates early evidence" in page


def test_home_introduction_rests_on_claims_and_names_its_sources(client, site_content):
    page = BeautifulSoup(client.get("/").content, "html.parser")
    intro = page.select_one("section[aria-labelledby=intro-heading]")
    assert len(intro.select("span[data-claim][data-evidence]")) >= 3
    cited = {a.get_text() for a in intro.select(".meta a")}
    assert cited and cited <= {s.short_name for s in Source.objects.all()}
    # Our neutral short names, never a source's promotional title (the source page keeps that).
    assert not cited & {s.title for s in Source.objects.all() if s.title != s.short_name}


def test_home_links_the_first_article_before_the_introduction(client, site_content):
    page = BeautifulSoup(client.get("/").content, "html.parser")
    start = page.select_one("p.start-here a")
    first = Article.objects.published().first()
    assert start["href"] == first.get_absolute_url()
    assert start.find_next("section", attrs={"aria-labelledby": "intro-heading"}) is not None


def test_migration_0006_fills_the_evidence_sections_of_existing_articles(site_content):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("carnk_site.articles.migrations.0006_stored_evidence_sections")
    stored = dict(Article.objects.values_list("pk", "claims_cited_html"))
    assert any(stored.values())
    Article.objects.update(profile_html="", claims_cited_html="")
    migration.fill_sections(apps, None)
    assert dict(Article.objects.values_list("pk", "claims_cited_html")) == stored
    assert all(
        html
        for profile, html in Article.objects.values_list("evidence_profile", "profile_html")
        if profile.get("total")
    )
