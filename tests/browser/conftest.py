"""Browser fixtures: Debian's Chromium driven by Playwright against the Django live server.

A missing browser fails the run: `make test` installs Chromium first, so a skip here would
only hide a broken set-up.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
# beside one unless told that the test code is really synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


_shared = {"users": 0}


@pytest.fixture(scope="session")
def browser():
    """Return the one Chromium of this test run.

    Other test folders import this fixture into their own conftest, which registers it again;
    Playwright's sync API allows one instance per thread, so every registration shares it.
    """
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test`, which installs it (apt-get install -y chromium).")
    if not _shared["users"]:
        from playwright.sync_api import sync_playwright

        _shared["playwright"] = sync_playwright().start()
        _shared["browser"] = _shared["playwright"].chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    _shared["users"] += 1
    yield _shared["browser"]
    _shared["users"] -= 1
    if not _shared["users"]:
        _shared.pop("browser").close()
        _shared.pop("playwright").stop()


@pytest.fixture
def site(live_server):
    """Load the shipped content into the live server's database; return the server's base URL.

    A live-server test empties the database after it, the rows migrations seeded too: the pages
    about the site are seeded again, or their translations in content/ would have nothing to translate.
    """
    import importlib

    from django.apps import apps

    from carnk_site.content_files.importer import import_content

    importlib.import_module("carnk_site.about.migrations.0002_seed_pages").seed(apps, None)
    import_content(settings.CONTENT_DIR)
    return live_server.url


class Pages:
    """Open pages in fresh browser contexts and remember anything that tried to leave the site."""

    def __init__(self, browser, base_url):
        self.browser = browser
        self.base_url = base_url
        self.origin = "{0.scheme}://{0.netloc}".format(urlsplit(base_url))
        self.foreign_requests = []
        self.errors = []
        self._contexts = []

    def open(self, path="/", *, viewport=DESKTOP, color_scheme="light", **context_options):
        """Return a page showing `path`, with every request to another origin blocked and recorded."""
        context = self.browser.new_context(viewport=viewport, color_scheme=color_scheme, **context_options)
        self._contexts.append(context)
        context.route("**/*", self._only_this_site)
        page = context.new_page()
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        if path is not None:
            page.goto(self.base_url + path)
        return page

    def _only_this_site(self, route):
        url = route.request.url
        if url.startswith(self.origin + "/") or url == self.origin:
            route.continue_()
        else:
            self.foreign_requests.append(url)
            route.abort()

    def close(self):
        for context in self._contexts:
            context.close()


@pytest.fixture
def pages(browser, site):
    opened = Pages(browser, site)
    yield opened
    opened.close()
    assert opened.errors == [], f"JavaScript errors: {opened.errors}"


def page_types():
    """Return (name, path) for one page of every kind readers meet, chosen from the loaded content."""
    from carnk_site.articles.models import Article
    from carnk_site.evidence.models import Source

    heaviest = max(Article.objects.published(), key=lambda a: len(a.body_html) + len(a.key_points_html))
    term = heaviest.terms.order_by("slug").first()
    source = Source.objects.filter(commercial=True).order_by("slug").first()
    return [
        ("home", "/"),
        ("article", heaviest.get_absolute_url()),
        ("glossary", "/glossary/"),
        ("term", term.get_absolute_url()),
        ("source", source.get_absolute_url()),
        ("sources", "/sources/"),
        ("evidence", "/evidence/"),
        ("search", "/search/?q=cord+blood"),
        ("search-empty", "/search/?q="),
        ("not-found", "/no-such-page/"),
    ]


def pytest_collection_modifyitems(items):
    """Mark every browser test, so `make test-fast` (-m "not browser and not slow") can leave them out."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)
