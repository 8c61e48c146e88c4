"""Every kind of page carries the security headers; production turns on HSTS and secure cookies."""

import json
import os
import secrets
import subprocess
import sys
import textwrap
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import override_settings

from tests.conftest import make_article, make_claim, make_source, make_term

from .conftest import admin_url, make_editor

pytestmark = pytest.mark.django_db
BASE_DIR = Path(__file__).resolve().parents[2]


def parse_csp(header):
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def reader_pages():
    make_source(slug="news", commercial=True)
    make_claim(slug="test-claim")
    make_term()
    article = make_article(body="An NK cell: [8 of 11 people responded](claim:test-claim).")
    return {
        "home": "/",
        "article": article.get_absolute_url(),
        "glossary": "/glossary/",
        "term": "/glossary/natural-killer-cell/",
        "term json": "/glossary/natural-killer-cell.json",
        "sources": "/sources/",
        "source": "/sources/news/",
        "evidence": "/evidence/",
        "claims json": "/claims.json",
        "claim json": "/claims/test-claim.json",
        "search": "/search/?q=cell",
        "not found": "/no-such-page/",
    }


def assert_common_headers(response, where):
    assert response["X-Content-Type-Options"] == "nosniff", where
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin", where
    assert response["X-Frame-Options"] == "DENY", where
    assert response["Cross-Origin-Opener-Policy"] == "same-origin", where
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in permissions, where
    csp = parse_csp(response["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"], where
    assert csp["script-src"] == ["'self'"], where
    assert csp["object-src"] == ["'none'"] and csp["base-uri"] == ["'none'"], where
    assert csp["frame-ancestors"] == ["'none'"], where
    assert not any(source in ("'unsafe-eval'", "data:", "*") for sources in csp.values() for source in sources), where
    return csp


def test_every_reader_page_type_has_a_strict_policy_and_every_header(client):
    for name, url in reader_pages().items():
        response = client.get(url)
        assert response.status_code == (404 if name == "not found" else 200), name
        csp = assert_common_headers(response, name)
        assert "'unsafe-inline'" not in response["Content-Security-Policy"], name
        assert csp["style-src"] == ["'self'"] and csp["img-src"] == ["'self'"], name
        if name.endswith("json"):
            assert response["Content-Type"].startswith("application/json"), name


def test_pages_served_from_the_page_cache_keep_the_headers(client):
    url = reader_pages()["article"]
    with override_settings(PAGE_CACHE_SECONDS=600):
        client.get(url)
        cached = client.get(url)
    assert_common_headers(cached, "cached article")
    assert "'unsafe-inline'" not in cached["Content-Security-Policy"]


def test_error_pages_have_the_headers_too(client):
    with mock.patch("carnk_site.reader.home.render", side_effect=OperationalError("database is down")):
        unavailable = client.get("/")
    assert unavailable.status_code == 503
    assert_common_headers(unavailable, "503")
    with mock.patch("carnk_site.reader.home.render", side_effect=RuntimeError("bug")):
        client.raise_request_exception = False
        failed = client.get("/")
    assert failed.status_code == 500
    assert_common_headers(failed, "500")


def test_admin_pages_allow_inline_styles_but_never_inline_scripts(client):
    login = client.get(admin_url("login/"))
    assert login.status_code == 200
    client.force_login(make_editor())
    for url in (admin_url(), admin_url("articles/article/"), admin_url("articles/article/add/")):
        response = client.get(url)
        assert response.status_code == 200, url
        csp = assert_common_headers(response, url)
        assert csp["style-src"] == ["'self'", "'unsafe-inline'"], url
        assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-inline'" not in csp["default-src"], url
    assert_common_headers(login, "login")


# Production ----------------------------------------------------------------------------------------------

PRODUCTION_PROBE = textwrap.dedent("""
    import json, django
    django.setup()
    from django.conf import settings
    from django.test import Client
    client = Client()
    plain = client.get("/admin/login/")
    secure = client.get("/admin/login/", secure=True)
    print(json.dumps({
        "redirect": [plain.status_code, plain.get("Location", "")],
        "hsts": secure.get("Strict-Transport-Security", ""),
        "csp": secure.get("Content-Security-Policy", ""),
        "csrf_cookie": dict(secure.cookies["csrftoken"]),
        "session": [settings.SESSION_COOKIE_SECURE, settings.SESSION_COOKIE_HTTPONLY],
        "debug": settings.DEBUG,
    }))
""")


def production_env(tmp_path, **extra):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="carnk_site.settings",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="testserver,carnk.example",
        PLAIN_STATIC_STORAGE="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **extra,
    )
    return env


def test_production_sends_hsts_redirects_to_https_and_marks_cookies_secure(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE],
        cwd=BASE_DIR,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["debug"] is False
    assert probe["redirect"] == [301, "https://testserver/admin/login/"]
    assert probe["hsts"] == "max-age=31536000; includeSubDomains"
    assert "upgrade-insecure-requests" in probe["csp"]
    assert probe["csrf_cookie"]["secure"] is True
    assert probe["session"] == [True, True]


def test_production_settings_pass_djangos_deployment_checks(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=BASE_DIR,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    # Preloading HSTS is a one-way commitment the deployer makes with SECURE_HSTS_PRELOAD=1; nothing else may warn.
    warnings = [line for line in result.stderr.splitlines() if line.startswith("?:") or "(security." in line]
    assert all("security.W021" in line for line in warnings), result.stderr
