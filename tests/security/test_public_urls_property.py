"""Random query strings and paths against every public URL: the answer is never a 5xx.

The URLs come from the URLconf (everything outside the admin), filled with ids from a small
published article, its claim, source and term. Run on SQLite and on PostgreSQL (DATABASE_URL),
which refuses NUL characters that SQLite stores.
"""

from urllib.parse import quote, quote_from_bytes

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.conftest import make_article, make_claim, make_term

SAMPLE_SLUGS = {"articles": "test-article", "glossary": "natural-killer-cell", "evidence": "test-source"}
CLAIM_ROUTE = "claims/<slug:slug>.json"


def public_routes(patterns=None, prefix=""):
    """Yield every public route as a path template, e.g. 'glossary/<slug:slug>/'."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = str(entry.pattern)
        if route == settings.ADMIN_PATH:
            continue
        if isinstance(entry, URLResolver):
            yield from public_routes(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern):
            yield prefix + route, entry


def public_paths():
    paths = []
    for route, entry in public_routes():
        app = entry.lookup_str.rsplit(".", 2)[-2]  # the view's module: reader.glossary -> glossary
        slug = "test-claim" if route.endswith(CLAIM_ROUTE) else SAMPLE_SLUGS.get(app, "x")
        paths.append("/" + route.replace("<slug:slug>", slug))
    return sorted(paths)


@pytest.fixture
def published(db):
    """One published article resting on a claim, its source and a term; return the public paths."""
    make_claim()
    make_term()
    make_article(body="A natural killer cell: [8 of 11 people responded](claim:test-claim).")
    return public_paths()


def test_every_public_url_is_listed(published):
    assert "/search/" in published and "/claims.json" in published
    assert "/claims/test-claim.json" in published and "/glossary/natural-killer-cell/" in published
    assert not any(p.startswith("/" + settings.ADMIN_PATH) for p in published)


hostile_bytes = st.binary(max_size=40).map(lambda b: quote_from_bytes(b, safe=""))
hostile_text = st.text(max_size=40).map(lambda t: quote(t, safe=""))
raw_ascii = st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=60)
value = st.one_of(hostile_bytes, hostile_text, raw_ascii, st.sampled_from(["%00", "%", "%zz", "%c3", "a" * 2100]))
name = st.one_of(st.sampled_from(["q", "page", "utm_source", "format", "status__exact"]), raw_ascii)
query = st.lists(st.tuples(name, value), max_size=4).map(lambda pairs: "&".join(f"{k}={v}" for k, v in pairs))
SETTINGS = hypothesis_settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


@SETTINGS
@given(index=st.integers(min_value=0), query=query)
def test_random_query_strings_never_get_a_5xx(client, published, index, query):
    path = published[index % len(published)]
    response = client.get(f"{path}?{query}")
    assert response.status_code < 500, (path, query)


@SETTINGS
@given(index=st.integers(min_value=0), segment=st.one_of(hostile_bytes, hostile_text, raw_ascii))
def test_random_paths_never_get_a_5xx(client, published, index, segment):
    base = published[index % len(published)]
    for path in (base + segment, base.rstrip("/").rsplit("/", 1)[0] + "/" + segment + "/"):
        # Django's test client reads a leading "//" as a host name (and cannot send "//[x"); a server sees a path.
        path = "/" + path.lstrip("/")
        response = client.get(path)
        assert response.status_code < 500, path
