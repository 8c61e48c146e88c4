"""Nothing leaves the site, article pages stay light, and a strict Content-Security-Policy holds."""

import json

from bs4 import BeautifulSoup
from playwright.sync_api import expect

from carnk_site.articles.models import Article

from .conftest import page_types

BUDGET = 100 * 1024
STRICT_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


def test_no_request_leaves_the_site(pages):
    requested = []
    for name, path in page_types():
        page = pages.open(None)
        page.on("request", lambda request: requested.append(request.url))
        page.goto(pages.base_url + path, wait_until="networkidle")
        if name == "article":
            page.locator("a.term").first.click()
            page.get_by_role("dialog").wait_for()
            # Evidence labels (a.evidence-label after a claim) open the citation pop-up.
            page.locator(".evidence a.evidence-label").first.click()
            page.get_by_role("dialog").wait_for()
        page.context.close()
    assert pages.foreign_requests == []
    assert requested and all(url.startswith(pages.origin + "/") for url in requested)
    assert any(url.endswith(".json") for url in requested), "the pop-ups should have fetched their data from the site"


def test_every_article_page_weighs_under_100_kb_with_its_css_and_js(pages):
    page = pages.open(None)
    articles = list(Article.objects.published())
    assert articles
    responses = []
    page.on("response", lambda response: responses.append(response))
    for article in articles:
        responses.clear()
        page.goto(pages.base_url + article.get_absolute_url(), wait_until="networkidle")
        by_type = {}
        for response in responses:
            kind = response.request.resource_type
            if kind == "image":
                # Figures are the site's own SVGs (static/figures/), fetched separately and cached;
                # they sit outside the HTML+CSS+JS budget but must come from the site itself.
                assert response.url.startswith(pages.origin + "/static/figures/"), response.url
                continue
            by_type[kind] = by_type.get(kind, 0) + len(response.body())
        assert set(by_type) == {"document", "stylesheet", "script"}, f"{article.slug} loads {set(by_type)}"
        total = sum(by_type.values())
        assert total < BUDGET, f"{article.slug}: {total} bytes ({by_type})"


def test_no_inline_script_or_style_on_any_page_type(pages):
    page = pages.open(None, java_script_enabled=False)
    for name, path in page_types():
        html = page.goto(pages.base_url + path).text()
        soup = BeautifulSoup(html, "html.parser")
        assert soup.find_all("script"), f"{name}: the site script is missing"
        # JSON-LD is data the browser never runs (CSP does not apply to it); anything else inline is refused.
        data = [s for s in soup.find_all("script") if s.get("type") == "application/ld+json"]
        assert all(json.loads(s.string) for s in data), name
        code = [s for s in soup.find_all("script") if s not in data]
        inline_scripts = [s for s in code if not s.get("src") or s.get_text(strip=True)]
        assert inline_scripts == [], name
        assert soup.find_all("style") == [], name
        assert soup.select("[style]") == [], name
        handlers = [(tag.name, attr) for tag in soup.find_all(True) for attr in tag.attrs if attr.startswith("on")]
        assert handlers == [], name
        assert [a for a in soup.select("a[href]") if a["href"].strip().lower().startswith("javascript:")] == [], name


def test_pages_and_pop_ups_work_under_a_strict_content_security_policy(pages):
    page = pages.open(None)
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script("""window.cspViolations = [];
        document.addEventListener('securitypolicyviolation',
            e => window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));""")

    def with_csp(route):
        if route.request.resource_type != "document":
            return route.continue_()
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": STRICT_CSP})

    page.route("**/*", with_csp)
    for name, path in page_types():
        response = page.goto(pages.base_url + path, wait_until="networkidle")
        assert response.headers["content-security-policy"] == STRICT_CSP
        if name == "article":
            for trigger in ("a.term", ".evidence a.evidence-label"):
                page.locator(trigger).first.click()
                dialog = page.get_by_role("dialog")
                expect(dialog).to_be_visible()
                box, link = dialog.bounding_box(), page.locator(trigger).first.bounding_box()
                assert box["y"] >= link["y"] + link["height"], "the pop-up was not placed below its link"
                page.keyboard.press("Escape")
        assert page.evaluate("window.cspViolations") == [], name
        font = page.evaluate("getComputedStyle(document.body).fontFamily")
        assert font.startswith("system-ui"), f"{name}: the stylesheet was blocked"
    assert [text for text in console if "Content Security Policy" in text] == []
