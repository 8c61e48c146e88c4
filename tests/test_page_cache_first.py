"""The page cache runs first: a hit replays the complete response the miss produced, costs one cache
read (or none, from the worker's memory), and stays correct when another worker saves."""

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache

from carnk_site.caching import local, middleware, version

from .conftest import make_article, make_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    local.clear()
    version._remembered.clear()
    yield settings
    cache.clear()
    local.clear()
    version._remembered.clear()


@pytest.fixture
def article():
    make_claim()
    return make_article(body="Old words: [8 of 11 people responded](claim:test-claim).")


def headers(response):
    return {name: value for name, value in response.items() if name != "X-Page-Cache"}


class CountingCache:
    """Count the reads the page cache makes of the shared cache."""

    def __init__(self, monkeypatch):
        self.reads = 0
        for name in ("get", "get_many"):
            original = getattr(cache, name)
            monkeypatch.setattr(cache, name, self.counting(original))

    def counting(self, original):
        def read(*args, **kwargs):
            self.reads += 1
            return original(*args, **kwargs)

        return read


def test_the_page_cache_is_the_first_middleware():
    assert django_settings.MIDDLEWARE[0] == "carnk_site.caching.middleware.PageCacheMiddleware"


@pytest.mark.parametrize("prefix", ["", "/zh-hans"])
def test_a_hit_carries_exactly_the_headers_of_the_miss(client, page_cache, article, prefix):
    url = prefix + article.get_absolute_url()
    miss = client.get(url)
    hit = client.get(url)
    assert (miss["X-Page-Cache"], hit["X-Page-Cache"]) == ("miss", "hit")
    assert hit.content == miss.content
    assert headers(hit) == headers(miss)
    for name in (
        "Content-Security-Policy",
        "Permissions-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
        "Content-Language",
        "ETag",
        "Cache-Control",
    ):
        assert name in hit, name
    assert hit["Content-Language"] == (prefix.strip("/") or "en")
    assert not hit.cookies and "Set-Cookie" not in headers(hit)


def test_each_language_is_its_own_entry(client, page_cache, article):
    english = client.get(article.get_absolute_url())
    chinese = client.get("/zh-hans" + article.get_absolute_url())
    assert chinese["X-Page-Cache"] == "miss"
    assert chinese["Content-Language"] != english["Content-Language"]


def test_a_hit_is_one_cache_read_while_the_versions_are_remembered(client, page_cache, article, monkeypatch):
    page_cache.PAGE_CACHE_VERSION_SECONDS = 1
    url = article.get_absolute_url()
    client.get(url)
    client.get(url)  # reads the versions and remembers them
    reads = CountingCache(monkeypatch)
    response = client.get(url)
    assert response["X-Page-Cache"] == "hit"
    assert reads.reads == 1


def test_the_workers_memory_serves_a_hit_without_the_shared_cache(client, page_cache, article, monkeypatch):
    page_cache.PAGE_CACHE_VERSION_SECONDS = 1
    page_cache.PAGE_CACHE_LOCAL_BYTES = 1024 * 1024
    url = article.get_absolute_url()
    first = client.get(url)
    client.get(url)
    reads = CountingCache(monkeypatch)
    response = client.get(url)
    assert response["X-Page-Cache"] == "hit" and reads.reads == 0
    assert headers(response) == headers(first) and response.content == first.content


def test_this_workers_save_shows_at_once_with_remembered_versions_and_local_pages(
    client, page_cache, article, django_capture_on_commit_callbacks
):
    page_cache.PAGE_CACHE_VERSION_SECONDS = 60
    page_cache.PAGE_CACHE_LOCAL_BYTES = 1024 * 1024
    url = article.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        article.body = "New words."
        article.save()
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss" and "New words" in response.content.decode()


def test_another_workers_bump_reaches_this_one_within_the_version_interval(client, page_cache, article, monkeypatch):
    page_cache.PAGE_CACHE_VERSION_SECONDS = 1
    page_cache.PAGE_CACHE_LOCAL_BYTES = 1024 * 1024
    url = article.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    cache.incr(version.KEY)  # another worker bumped the site: this worker still holds the old number
    assert client.get(url)["X-Page-Cache"] == "hit"
    later = version._now() + 1.01
    monkeypatch.setattr(version, "_now", lambda: later)
    assert client.get(url)["X-Page-Cache"] == "miss"


def test_the_local_store_is_bounded(page_cache):
    page_cache.PAGE_CACHE_LOCAL_BYTES = 4000
    for number in range(10):
        local.put(f"page:{number}", (1,), ("entry",), 900)
    assert local._size["bytes"] <= 4000
    assert local.get("page:9", (1,)) == ("entry",)
    assert local.get("page:0", (1,)) is None
    assert local.get("page:9", (2,)) is None  # other versions: a miss


def test_static_files_and_other_addresses_pass_through(client, page_cache):
    request_path = django_settings.STATIC_URL + "missing.css"
    assert client.get(request_path).status_code == 404
    assert middleware.public_match(type("R", (), {"path_info": "/nowhere/", "urlconf": None})()) is None
