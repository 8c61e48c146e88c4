"""A page a worried reader can finish: what comes first, what is closed, where to go next (issue 23, items 3 and 4)."""

from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from carnk_site.articles.models import Article
from carnk_site.text.rendering import on_this_page, split_on_this_page

pytestmark = pytest.mark.django_db

NEXT_STEPS = "what-you-can-do-next"
REGISTRIES = {
    "https://clinicaltrials.gov",
    "https://trialsearch.who.int",
    "https://www.chictr.org.cn",
    "https://ctri.nic.in",
    "https://euclinicaltrials.eu",
}


def page_at(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def published_pages(client):
    return [(article, page_at(client, article.get_absolute_url())) for article in Article.objects.published()]


def section(page, heading):
    """Return the elements between an h2 that starts with `heading` and the next h2."""
    start = next(h for h in page.select(".article-body h2") if h.get_text().startswith(heading))
    parts = []
    for sibling in start.find_next_siblings():
        if sibling.name == "h2":
            break
        parts.append(sibling)
    return parts


def test_split_keeps_the_list_and_the_rest_whole():
    nav = on_this_page([("a", "A"), ("b", "B")])
    assert split_on_this_page(nav + "<h2 id='a'>A</h2>") == (nav, "<h2 id='a'>A</h2>")
    assert split_on_this_page("<p>short</p>") == ("", "<p>short</p>")


def test_on_this_page_comes_before_the_sign_off_profile_and_key_points(client, site_content):
    listed = 0
    for article, page in published_pages(client):
        body = page.select_one(".article-body")
        assert body.find("nav") is None, article.slug
        nav = page.select_one("article nav.on-this-page")
        if nav is None:
            continue
        listed += 1
        later = [page.select_one(".signoff"), page.select_one(".profile-details"), page.select_one(".key-points")]
        order = list(page.article.find_all(True))
        assert all(order.index(nav) < order.index(element) for element in later), article.slug
        assert all(body.find(id=a["href"][1:]) for a in nav.select("a")), article.slug
    assert listed >= 9


def test_quotations_are_closed_but_every_one_is_reachable_without_script(client, site_content):
    for article, page in published_pages(client):
        details = page.select_one("details.claims-cited-details")
        assert details is not None and not details.has_attr("open"), article.slug
        assert details.summary.get_text(strip=True).startswith("What each statement rests on"), article.slug
        assert page.select("blockquote") and all(
            q.find_parent("details") is details for q in page.select(".sources-cited blockquote")
        )
        for claim in article.evidence_profile["claims"]:
            assert details.find(id=f"claim-{claim['slug']}") is not None, (article.slug, claim["slug"])
        # Without script an evidence label is a link: to its passage on the source page, or into the closed
        # list, which the browser opens on arrival (tests/browser/test_page_length.py).
        for label in page.select(".evidence a.evidence-label"):
            target = urlsplit(label["href"])
            if target.path:
                assert target.path.startswith("/sources/") and target.fragment, label["href"]
            else:
                assert details.find(id=target.fragment) is not None, label["href"]


def test_every_article_points_to_what_you_can_do_next(client, site_content):
    target = Article.objects.published().get(slug=NEXT_STEPS).get_absolute_url()
    for article, page in published_pages(client):
        box = page.select_one("aside.next-steps")
        if article.slug == NEXT_STEPS:
            assert box is None
            continue
        assert box is not None, article.slug
        assert [a["href"] for a in box.select("a")] == [target], article.slug
        order = list(page.article.find_all(True))
        assert order.index(page.select_one(".article-body")) < order.index(box), "after the text, not before it"


def test_what_you_can_do_next_keeps_registries_and_companies_apart(client, site_content):
    page = page_at(client, f"/articles/{NEXT_STEPS}/")
    questions = section(page, "Questions to ask your care team")
    assert sum(len(part.select("li")) for part in questions) >= 5
    registries = section(page, "Where trials are listed")
    links = {a["href"].rstrip("/") for part in registries for a in part.select("a")}
    assert links == REGISTRIES
    assert not any(part.select("[data-claim]") for part in registries), "signposts, not claims"
    # A company's service appears once, in its own section, never among our steps.
    services = [
        span for span in page.select(".article-body [data-claim]") if "cancerfax-arranges" in span["data-claim"]
    ]
    companies = section(page, "Companies that sell help")
    assert services and all(any(span in part.descendants for part in companies) for span in services)
    checklist = page.select_one('[data-claim="trial-selection-checklist-overview"]')
    assert checklist is not None and "consultation service" in checklist.find_parent("p").get_text()


def test_home_page_links_to_the_warning_signs(client, site_content):
    page = page_at(client, "/")
    link = page.select_one('a[href="/articles/safety-and-side-effects/#warning-signs"]')
    assert link is not None and "care team at once" in link.get_text()
