"""Production settings: the documented environment passes `check --deploy` with no warnings; a
missing secret or host list is a clear error; DATABASE_URL and REDIS_URL pick the database and cache."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def documented_production_env():
    """Return the variables of the production example in the README's deployment section."""
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"<!-- production-environment -->\s*```sh\n(.*?)```", readme, re.S)
    assert block, "README.md must show the production environment after <!-- production-environment -->"
    pairs = re.findall(r"^(?:export )?([A-Z_]+)=(\S*)", block.group(1), re.M)
    env = dict(pairs)
    assert {"DJANGO_SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"} <= env.keys()
    env["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)  # the README shows a placeholder
    return env


def run_django(env, *args):
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "SECURE_", "PAGE_CACHE_"))
        and k not in {"ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "PLAIN_STATIC_STORAGE"}
    }
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**clean, "DJANGO_SETTINGS_MODULE": "carnk_site.settings", **env},
    )


def settings_in(env, *names):
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}, default=str))"
    )
    result = run_django(env, "-c", code)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_check_deploy_passes_with_the_documented_production_environment():
    result = run_django(documented_production_env(), "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_check_deploy_warns_when_https_is_turned_off():
    env = {**documented_production_env(), "DJANGO_HTTPS": "0"}
    result = run_django(env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "security.W008" in result.stderr + result.stdout  # SECURE_SSL_REDIRECT


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_a_secret_or_hosts(missing):
    env = documented_production_env()
    del env[missing]
    result = run_django(env, "manage.py", "check")
    assert result.returncode != 0
    assert f"{missing} must be set when DJANGO_DEBUG is off" in result.stderr


def test_database_url_gives_persistent_connections_and_redis_url_the_redis_cache():
    env = documented_production_env()
    found = settings_in(env, "DATABASES", "CACHES", "DEBUG")
    assert found["DEBUG"] is False
    assert found["DATABASES"]["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert found["DATABASES"]["default"]["CONN_MAX_AGE"] > 0
    assert found["CACHES"]["default"]["BACKEND"] == "carnk_site.caching.redis.RedisCache"  # Django's, subclassed
    assert found["CACHES"]["default"]["LOCATION"] == env["REDIS_URL"]


def test_without_redis_url_the_cache_is_local_memory_and_debug_is_off_by_default():
    env = documented_production_env()
    del env["REDIS_URL"]
    found = settings_in(env, "CACHES", "DEBUG")
    assert found["DEBUG"] is False
    assert found["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_production_installs_no_tooling_and_make_bench_or_soak_turn_it_on():
    """Benchmarks, soak and the synthetic library are never installed in production settings."""
    production = settings_in(documented_production_env(), "INSTALLED_APPS")["INSTALLED_APPS"]
    assert "carnk_site.tooling" not in production and "carnk_site.reader" in production
    tooling = settings_in({**documented_production_env(), "DJANGO_TOOLING": "1"}, "INSTALLED_APPS")
    assert "carnk_site.tooling" in tooling["INSTALLED_APPS"]
    makefile = (ROOT / "Makefile").read_text()
    assert "bench: export DJANGO_TOOLING := 1" in makefile and "soak: export DJANGO_TOOLING := 1" in makefile
