"""Lists stay the same size and cost whatever the library's size: the home page shows the first articles,
the index of all articles, the glossary, the sources and /claims.json go a page at a time, without JavaScript."""

import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from carnk_site.articles.models import Article
from carnk_site.evidence.models import Citation, Claim
from carnk_site.glossary.models import Term
from carnk_site.reader import articles as article_views
from carnk_site.reader import evidence as evidence_views
from carnk_site.reader import glossary as glossary_views
from carnk_site.reader.home import HOME_ARTICLES
from carnk_site.text.quotes import FoldedText, fold

from .conftest import make_source

pytestmark = pytest.mark.django_db
LIMIT = 150 * 1024


def add_articles(count, start=0):
    """Insert published articles in bulk (no rendering: lists read only their listed fields)."""
    Article.objects.bulk_create(
        Article(
            slug=f"bulk-{n:04d}",
            title=f"Bulk article {n:04d}",
            summary="A plain line that says what the page answers, about as long as a real one is.",
            order=n,
            status=Article.Status.PUBLISHED,
            last_reviewed=datetime.date(2026, 11, 21),
            next_review_due=datetime.date(2027, 5, 21),
            body="Plain text.",
            evidence_profile={"findings": 3},
        )
        for n in range(start, start + count)
    )


def add_terms(count, start=0):
    Term.objects.bulk_create(
        Term(slug=f"term-{n:04d}", term=f"{'abcdefghij'[n % 10]}-term {n:04d}", definition="One plain sentence.")
        for n in range(start, start + count)
    )


def add_claims(count, article):
    source = make_source()
    claims = Claim.objects.bulk_create(
        Claim(slug=f"claim-{n:04d}", statement="Eight of 11 people responded.", evidence="phase-1", participants=11)
        for n in range(count)
    )
    Citation.objects.bulk_create(Citation(claim=c, source=source, quote="Eight of the 11 patients") for c in claims)
    article.claims.add(*claims)


def links_to_articles(html):
    """Return the articles the page links to (the home page's introduction links the first one again)."""
    return set(re.findall(r'<a href="/articles/(bulk-\d+)/">', html))


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_home_page_lists_every_article_of_todays_library(client, site_content):
    html = client.get("/").content.decode()
    published = Article.objects.published()
    assert 0 < published.count() <= HOME_ARTICLES
    for article in published:
        assert f'href="{article.get_absolute_url()}"' in html, article.slug
    assert 'href="/articles/"' not in html, "no click between a reader and today's articles"


def test_the_home_page_shows_the_first_articles_and_links_all_of_them_whatever_the_size(client):
    add_articles(HOME_ARTICLES + 10)
    small = client.get("/").content.decode()
    add_articles(400, start=HOME_ARTICLES + 10)
    large = client.get("/").content.decode()
    assert len(links_to_articles(large)) == HOME_ARTICLES
    assert 'href="/articles/bulk-0000/"' in large and "bulk-0020" not in large
    assert re.search(r'<a href="/articles/">All 430 articles</a>', large)
    assert abs(len(large) - len(small)) < 10 and len(large) < LIMIT


def test_the_index_of_all_articles_goes_a_page_at_a_time(client):
    add_articles(2 * article_views.ARTICLES_PER_PAGE + 7)
    first = client.get("/articles/").content.decode()
    assert len(links_to_articles(first)) == article_views.ARTICLES_PER_PAGE and len(first) < LIMIT
    assert 'href="?page=2" rel="next"' in first and "Page 1 of 3" in first
    last = client.get("/articles/?page=3").content.decode()
    assert len(links_to_articles(last)) == 7 and 'rel="prev"' in last and 'rel="next"' not in last
    assert '<ol class="article-list" start="101">' in last, "numbers follow on from the page before"
    # Nonsense page numbers are read as the nearest page, never an error (the page's own links,
    # such as its other languages, keep the address as asked for).
    main = lambda html: html[html.index("<main") : html.index("</main>")]  # noqa: E731
    assert main(client.get("/articles/?page=nonsense").content.decode()) == main(first)
    assert main(client.get("/articles/?page=999").content.decode()) == main(last)


def test_the_glossary_goes_a_page_at_a_time_with_each_letter_linked_to_its_page(client):
    add_terms(glossary_views.TERMS_PER_PAGE * 2 + 10)
    first = client.get("/glossary/").content.decode()
    assert first.count("<dt ") == glossary_views.TERMS_PER_PAGE and len(first) < LIMIT
    # 41 terms for each of a to j: "e" starts on page 1 (term 165), "f" on page 2 (206), "j" too (370).
    assert 'href="#letter-E"' in first and 'href="?page=2#letter-F"' in first and 'href="?page=2#letter-J"' in first
    third = client.get("/glossary/?page=3").content.decode()
    assert third.count("<dt ") == 10 and 'id="letter-J"' in third, "a letter running on is headed again"


def test_the_sources_list_goes_a_page_at_a_time(client, monkeypatch):
    monkeypatch.setattr(evidence_views, "SOURCES_PER_PAGE", 2)
    article = Article.objects.create(
        slug="cites-three",
        title="Cites three",
        summary="s",
        status=Article.Status.PUBLISHED,
        last_reviewed=datetime.date(2026, 11, 21),
        next_review_due=datetime.date(2027, 5, 21),
    )
    article.sources.add(*(make_source(slug=f"source-{n}", short_name=f"Source {n}") for n in range(3)))
    first = client.get("/sources/").content.decode()
    assert "/sources/source-0/" in first and "/sources/source-2/" not in first and 'href="?page=2"' in first
    assert "/sources/source-2/" in client.get("/sources/?page=2").content.decode()


def test_claims_json_goes_a_page_at_a_time_with_links_to_the_next(client, monkeypatch):
    monkeypatch.setattr(evidence_views, "CLAIMS_PER_PAGE", 4)
    add_articles(1)
    add_claims(10, Article.objects.get())
    first = client.get("/claims.json").json()
    assert [c["id"] for c in first["claims"]] == ["claim-0000", "claim-0001", "claim-0002", "claim-0003"]
    assert (first["page"], first["pages"], first["claims_in_all"], first["previous"]) == (1, 3, 10, None)
    assert first["next"] == "http://testserver/claims.json?page=2"
    assert {s["id"] for s in first["sources"]} == {c["source"] for cl in first["claims"] for c in cl["citations"]}
    last = client.get("/claims.json?page=3").json()
    assert [c["id"] for c in last["claims"]] == ["claim-0008", "claim-0009"]
    assert last["next"] is None and last["previous"] == "http://testserver/claims.json?page=2"


def test_claims_json_of_todays_library_is_complete_on_its_first_page(client, site_content):
    data = json.loads(client.get("/claims.json").content)
    assert data["next"] is None and data["pages"] == 1
    assert len(data["claims"]) == data["claims_in_all"] == Claim.objects.public().count()


@pytest.mark.parametrize("url", ["/", "/articles/", "/articles/?page=2", "/glossary/", "/claims.json"])
def test_a_lists_queries_do_not_grow_with_the_library(client, url):
    add_articles(60)
    add_terms(30)
    add_claims(20, Article.objects.get(slug="bulk-0000"))
    small = queries_for(client, url)
    add_articles(300, start=60)
    add_terms(500, start=30)
    source = Citation.objects.first().source
    more = Claim.objects.bulk_create(
        Claim(slug=f"more-{n:04d}", statement="More.", evidence="phase-1") for n in range(600)
    )
    Citation.objects.bulk_create(Citation(claim=claim, source=source, quote="Eight") for claim in more)
    Article.objects.get(slug="bulk-0001").claims.add(*more)
    assert queries_for(client, url) == small <= 4


def _fold_one_by_one(text):
    """The folding as first written: a character at a time, remembering where each came from."""
    folded, origin = [], []
    for index, char in enumerate(text):
        char = fold(char) if not char.isspace() else " "
        char = char or " "
        if char == " " and folded and folded[-1] == " ":
            continue
        folded.append(char)
        origin.append(index)
    return "".join(folded), origin


@given(
    st.text(alphabet="ab \n\t\u2014\u2019\u201c-", max_size=40),
    st.text(alphabet="ab \n\u2014'\"", min_size=1, max_size=6),
)
def test_a_quote_is_located_where_folding_a_character_at_a_time_locates_it(text, quote):
    folded, origin = _fold_one_by_one(text)
    needle = fold(quote)
    start = folded.find(needle) if needle else -1
    expected = None if start < 0 else (origin[start], origin[start + len(needle) - 1] + 1)
    assert FoldedText(text).locate(quote) == expected


def test_a_lists_profile_strip_is_the_small_profile_template_drawn_in_python(site_content):
    from django.template.loader import render_to_string

    from carnk_site.text.profile_strip import profile_strip_html as profile_strip

    def words(html):
        return re.sub(r"\s+", " ", str(html)).strip()

    profiles = [a for a in Article.objects.published() if a.evidence_profile.get("total")]
    assert profiles and any(a.evidence_profile.get("groups") for a in profiles)
    for article in profiles:
        drawn = render_to_string("evidence/_profile.html", {"article": article, "small": True})
        assert words(profile_strip(article.evidence_profile)) == words(drawn), article.slug
        assert article.profile_strip_html == str(profile_strip(article.evidence_profile)), "stored when rendered"
    assert profile_strip({}) == "" and profile_strip({"total": 0}) == ""


def test_lists_show_the_strip_stored_when_the_article_was_rendered(client, site_content, monkeypatch):
    from carnk_site.reader.templatetags import evidence_tags

    before = {url: client.get(url).content for url in ("/", "/articles/")}
    built = []
    monkeypatch.setattr(evidence_tags, "profile_strip_html", lambda profile: built.append(profile) or "")
    for url, content in before.items():
        assert client.get(url).content == content, url  # the same page, from the stored strips
    assert not built, "no strip is drawn per request in the site's language"
    client.get("/zh-hans/articles/")
    assert built, "a page in another language draws its strips in that language"


def cited_source(count):
    """Return a public source that `count` claims of one published article cite."""
    add_articles(1)
    article = Article.objects.get(slug="bulk-0000")
    add_claims(count, article)
    source = Citation.objects.first().source
    article.sources.add(source)
    return source


def test_a_much_cited_sources_page_lists_its_statements_a_page_at_a_time(client):
    source = cited_source(120)
    url = source.get_absolute_url()
    first = client.get(url).content.decode()
    assert first.count('<li id="cite-') == 50 and 'id="cite-claim-0000-1"' in first
    assert 'id="cite-claim-0050-1"' not in first and 'href="?page=2"' in first
    third = client.get(url + "?page=3").content.decode()
    assert third.count('<li id="cite-') == 20 and 'id="cite-claim-0119-1"' in third and 'start="101"' in third
    assert len(third.encode()) < len(first.encode()) < 60 * 1024


@pytest.mark.parametrize(
    ("claim", "page"), [("claim-0000", ""), ("claim-0049", ""), ("claim-0050", "?page=2"), ("claim-0119", "?page=3")]
)
def test_a_link_to_a_statement_leads_to_the_page_of_the_source_holding_it(client, claim, page):
    from carnk_site.evidence.models import citation_url

    source = cited_source(120)
    link = citation_url(source.slug, claim, 1)
    assert link == f"/sources/{source.slug}/?claim={claim}#cite-{claim}-1"
    response = client.get(link.split("#")[0])
    assert response.status_code == 302 and response["Location"] == f"/sources/{source.slug}/{page}"
    assert f'id="cite-{claim}-1"' in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("claim", ["no-such-claim", "", "zzzz", "<script>", "\u4e2d" * 300])
def test_a_link_naming_no_statement_of_the_source_leads_to_its_first_or_last_page(client, claim):
    source = cited_source(3)
    response = client.get(source.get_absolute_url(), {"claim": claim})
    assert response.status_code == 302 and response["Location"].startswith(source.get_absolute_url())


def test_a_sources_queries_do_not_grow_with_its_citations(client):
    source = cited_source(20)
    small = queries_for(client, source.get_absolute_url())
    more = Claim.objects.bulk_create(
        Claim(slug=f"more-{n:04d}", statement="More.", evidence="phase-1") for n in range(300)
    )
    Citation.objects.bulk_create(Citation(claim=claim, source=source, quote="Eight") for claim in more)
    Article.objects.get(slug="bulk-0000").claims.add(*more)
    assert queries_for(client, source.get_absolute_url() + "?page=4") == small


def test_every_link_to_a_passage_names_its_claim_for_the_source_page(client, site_content):
    from bs4 import BeautifulSoup

    article = Article.objects.published().exclude(evidence_profile={}).first()
    page = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    links = [a["href"] for a in page.find_all("a", href=True) if "#cite-" in a["href"]]
    assert links
    for href in links:
        assert re.fullmatch(r"/sources/[\w-]+/\?claim=([\w-]+)#cite-\1-\d+", href), href
    citation = Citation.objects.select_related("claim", "source").first()
    assert citation.get_absolute_url() == (
        f"/sources/{citation.source.slug}/?claim={citation.claim.slug}#{citation.anchor}"
    )


def test_links_stored_before_source_pages_were_split_are_given_their_claim(client, site_content):
    import copy
    import importlib

    from django.apps import apps

    migration = importlib.import_module("carnk_site.articles.migrations.0005_profile_strip_html")
    article = Article.objects.published().exclude(evidence_profile={}).first()
    new = (article.body_html, article.key_points_html, copy.deepcopy(article.evidence_profile))
    old = [re.sub(r"\?claim=[\w-]+#", "#", part) for part in new[:2]]
    profile = copy.deepcopy(new[2])
    for claim in profile["claims"]:
        for citation in claim["citations"]:
            citation["url"] = re.sub(r"\?claim=[\w-]+#", "#", citation["url"])
    assert old[0] != new[0] and profile != new[2]
    Article.objects.filter(pk=article.pk).update(body_html=old[0], key_points_html=old[1], evidence_profile=profile)
    migration.name_claims_in_citation_links(apps, None)
    article.refresh_from_db()
    assert (article.body_html, article.key_points_html, article.evidence_profile) == new


# The loop the glossary index's template ran per term, before the entries were drawn in Python.
GLOSSARY_LOOP = """{% for term in terms %}
    <dt id="{{ term.slug }}">{% if term.translated_name %}<a href="{{ term.get_absolute_url }}">{{ term.translated_name }}</a> <span class="aliases" lang="en">({{ term.term }}{% if term.alias_list %}, {{ term.alias_list|join:", " }}{% endif %})</span>{% else %}<a href="{{ term.get_absolute_url }}"{% if mark_english %} lang="en"{% endif %}>{{ term.term }}</a>{% if term.alias_list %} <span class="aliases"{% if mark_english %} lang="en"{% endif %}>({{ term.alias_list|join:", " }})</span>{% endif %}{% endif %}</dt>
    <dd{% if mark_english and not term.translated_definition %} lang="en"{% endif %}>{{ term.translated_definition|default:term.definition }}</dd>
  {% endfor %}"""


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_glossary_entries_drawn_in_python_are_the_template_loops_markup(site_content, language):
    from django.template import Context, Template
    from django.utils import translation

    from carnk_site.reader.glossary_entries import glossary_entries
    from carnk_site.translations.reading import attach_translated_terms

    add_terms(3)
    Term.objects.filter(slug="term-0000").update(term="<b>Tom & Jerry's</b>", aliases='x "y"\n<z>', definition="a < b")
    with translation.override(language):
        terms = attach_translated_terms(Term.objects.public().order_by("term", "pk"))
        mark_english = language != "en"
        if mark_english:  # as attach_translated_terms sets them for a term with a published translation
            terms[0].translated_name, terms[0].translated_definition = "<名>", "定义 & 解释"
            terms[1].translated_name = "只有名"
        drawn = str(glossary_entries(terms, mark_english))
        looped = Template(GLOSSARY_LOOP).render(Context({"terms": terms, "mark_english": mark_english}))
    assert drawn == looped
    assert "&lt;b&gt;Tom &amp; Jerry&#x27;s&lt;/b&gt;" in drawn and "x &quot;y&quot;, &lt;z&gt;" in drawn
