"""The benchmark's import and saves parts, and what every part shares: throwaway databases, production
environments, gunicorn on 127.0.0.1 (the pages part, measured with wrk, is `tooling.pages`).

Everything runs in subprocesses with an explicit production environment (DEBUG off, manifest
static files, the gunicorn config in the repo), against throwaway databases: a temporary SQLite
file, or, when DATABASE_URL names PostgreSQL, temporary databases created on that server and
dropped afterwards. The cache is whatever REDIS_URL says, under a key prefix of its own.
"""

import importlib.util
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import dj_database_url
from django.conf import settings

from carnk_site.tooling.library import make_library, write_library
from carnk_site.tooling.load import run_wrk

PAGES = (("article page", "/articles/article-0001/"), ("glossary index", "/glossary/"), ("home page", "/"))
STATIC_NAME = "bench/static-like-article.css"


@dataclass
class ImportTiming:
    articles: int
    seconds: float
    warnings: int


@contextmanager
def throwaway_database(workdir, name):
    """Yield a DATABASE_URL for an empty database that is removed afterwards."""
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{Path(workdir) / f'{name}.sqlite3'}"
        return
    import psycopg

    config = dj_database_url.parse(base)
    database = f"carnk_bench_{os.getpid()}_{name}"
    connect = {
        "host": config["HOST"] or None,
        "port": config["PORT"] or None,
        "user": config["USER"] or None,
        "password": config["PASSWORD"] or None,
        "dbname": config["NAME"],
        "autocommit": True,
    }
    with psycopg.connect(**connect) as admin:
        admin.execute(f'CREATE DATABASE "{database}"')
    try:
        yield base.rsplit("/", 1)[0] + f"/{database}"
    finally:
        with psycopg.connect(**connect) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def production_env(database_url, static_root, port=None):
    """Return the environment of a production process on this machine, serving plain HTTP on loopback."""
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "carnk_site.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_TOOLING": "1",  # the timing commands it runs live in the tooling app
            "DJANGO_HTTPS": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": database_url,
            "STATIC_ROOT": str(static_root),
            "CACHE_KEY_PREFIX": f"carnk-bench-{os.getpid()}",
            "PLAIN_STATIC_STORAGE": "0",
        }
    )
    if port:
        env["PORT"] = str(port)
    return env


def manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=True
    )


def time_import(workdir, database_url, out, *, articles, claims, terms, sources):
    """Generate a library, migrate the empty database and time `loadcontent` into it (wall clock)."""
    content = write_library(
        make_library(articles=articles, claims=claims, terms=terms, sources=sources),
        Path(workdir) / f"content-{articles}",
    )
    env = production_env(database_url, Path(workdir) / "static")
    manage(env, "migrate", "--noinput", "-v0")
    start = time.perf_counter()
    result = manage(env, "loadcontent", "--path", str(content))
    seconds = time.perf_counter() - start
    warnings = sum(1 for line in result.stderr.splitlines() if line.startswith("warning:"))
    out(
        f"  loadcontent, {articles} articles, {claims} claims, {terms} terms, {sources} sources: "
        f"{seconds:.1f} s ({warnings} editorial warnings)"
    )
    return ImportTiming(articles, seconds, warnings)


def free_port():
    """Return a free port the system picks at random: two benchmarks on one machine never pick the same one."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(env):
    """Run gunicorn with the repo's config until the block ends; yield its base URL."""
    with served(env) as (base, _process):
        yield base


@contextmanager
def served(env):
    """Run gunicorn with the repo's config until the block ends; yield its base URL and its master process."""
    base = f"http://127.0.0.1:{env['PORT']}"
    log = open(Path(env["STATIC_ROOT"]).parent / "gunicorn.log", "ab")
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "carnk_site/gunicorn.conf.py", "carnk_site.wsgi"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/", timeout=30).read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not start; see {log.name}") from None
                time.sleep(0.3)
        yield base, process
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def fetch(url):
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read()


def write_static_like(static_root, size):
    """Write a plain CSS file of about `size` bytes where WhiteNoise serves it."""
    path = Path(static_root) / STATIC_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    rules, total, n = [], 0, 0
    while total < size:
        rule = f".rule-{n} {{ margin: {n % 40}px; color: #{(n * 2654435761) % 0xFFFFFF:06x}; }}\n"
        rules.append(rule)
        total, n = total + len(rule), n + 1
    path.write_text("".join(rules))


def measure(base, targets, seconds, out):
    """Load each (name, path) in turn for a bounded time; print and return {name: LoadResult}."""
    results = {}
    for name, path in targets:
        run_wrk(base + path, seconds=2)  # warm up: every worker connects, renders and caches the page once
        r = results[name] = run_wrk(base + path, seconds=seconds)
        out(f"  {name:<16} {r.rps:>8.0f} req/s   p50 {r.p50:6.1f} ms   p99 {r.p99:6.1f} ms   errors {r.errors}")
    return results


def benchmark(*, articles, claims, terms, sources, small, out):
    """Time the import at two sizes and admin saves; print figures and verdicts; return True when all hold."""
    out(f"machine: {os.cpu_count()} cores, load average {_load()}")
    out(
        f"database: {'PostgreSQL' if os.environ.get('DATABASE_URL', '').startswith('postgres') else 'SQLite'}, "
        f"cache: {'Redis' if os.environ.get('REDIS_URL') else 'local memory (per worker)'}"
    )
    with tempfile.TemporaryDirectory(prefix="carnk-bench-") as workdir, ExitStack() as databases:
        out("Import (wall clock of `manage.py loadcontent` into an empty database):")
        sizes = {"terms": terms, "sources": sources}
        small_timing = time_import(
            workdir,
            databases.enter_context(throwaway_database(workdir, "small")),
            out,
            articles=small,
            claims=small * claims // articles,
            **sizes,
        )
        url = databases.enter_context(throwaway_database(workdir, "large"))
        large_timing = time_import(workdir, url, out, articles=articles, claims=claims, **sizes)
        ratio = large_timing.seconds / small_timing.seconds
        out(f"  growth from {small} to {articles} articles: x{ratio:.1f} for x{articles / small:.0f} the content")
        out("Admin saves on the imported library (Django's test client, real admin forms, pipeline on commit):")
        saves = manage(production_env(url, Path(workdir) / "static"), "timesaves")
        out(saves.stdout.rstrip())
        saves_ok = "MISSED" not in saves.stdout

    out(f"load average after the import and saves: {_load()}")
    return verdicts(small_timing, large_timing, ratio, out) and saves_ok


def benchmark_import(*, articles, claims, terms, sources, small, out):
    """Time only `loadcontent` at two sizes; return True when the large import is under 60 s."""
    out(f"machine: {os.cpu_count()} cores, load average {_load()}")
    with tempfile.TemporaryDirectory(prefix="carnk-bench-") as workdir, ExitStack() as databases:
        timings = [
            time_import(
                workdir,
                databases.enter_context(throwaway_database(workdir, f"import{size}")),
                out,
                articles=size,
                claims=size * claims // articles,
                terms=terms,
                sources=sources,
            )
            for size in (small, articles)
        ]
    ratio = timings[1].seconds / timings[0].seconds
    ok = timings[1].seconds < 60
    out(f"  growth from {small} to {articles} articles: x{ratio:.1f} for x{articles / small:.0f} the content")
    out(f"  {'ok  ' if ok else 'MISS'} import of {articles} articles: {timings[1].seconds:.1f} s (target < 60 s)")
    out(f"load average after: {_load()}")
    return ok


def benchmark_search(*, articles, claims, terms, sources, out):
    """Time uncached searches on a library inserted in bulk into a throwaway database, production settings."""
    out(f"machine: {os.cpu_count()} cores, load average {_load()}")
    with tempfile.TemporaryDirectory(prefix="carnk-bench-") as workdir, throwaway_database(workdir, "search") as url:
        env = production_env(url, Path(workdir) / "static")
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "collectstatic", "--noinput", "-v0")  # pages name their files from the manifest
        args = ["--insert", "--articles", articles, "--claims", claims, "--terms", terms, "--sources", sources]
        try:
            result = manage(env, "timesearch", *map(str, args))
        except subprocess.CalledProcessError as exc:
            out(exc.stdout + exc.stderr)
            return False
        out(result.stdout.rstrip())
    out(f"load average after: {_load()}")
    return "MISSED" not in result.stdout


def benchmark_saves(*, articles, claims, terms, sources, repeats, out):
    """Time only the admin saves, on a library inserted in bulk into a throwaway database."""
    out(f"machine: {os.cpu_count()} cores, load average {_load()}")
    with tempfile.TemporaryDirectory(prefix="carnk-bench-") as workdir, throwaway_database(workdir, "saves") as url:
        env = production_env(url, Path(workdir) / "static")
        manage(env, "migrate", "--noinput", "-v0")
        out(f"Admin saves, {articles} articles, {claims} claims, {terms} terms, {sources} sources:")
        args = ["--insert", "--articles", articles, "--claims", claims, "--terms", terms, "--sources", sources]
        try:
            result = manage(env, "timesaves", *map(str, args), "--repeats", str(repeats))
        except subprocess.CalledProcessError as exc:
            out(exc.stdout + exc.stderr)
            return False
        out(result.stdout.rstrip())
    out(f"load average after: {_load()}")
    return "MISSED" not in result.stdout


def _load():
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def verdicts(small_timing, large_timing, ratio, out):
    """Print each import target with ok or MISS; return True when all hold."""
    checks = [
        (
            f"import of {large_timing.articles} articles: {large_timing.seconds:.1f} s (target < 60 s)",
            large_timing.seconds < 60,
        ),
        (
            f"import growth from {small_timing.articles} to {large_timing.articles} articles: x{ratio:.1f}"
            " (target <= 12)",
            ratio <= 12,
        ),
    ]
    out("Import targets:")
    for text, ok in checks:
        out(f"  {'ok  ' if ok else 'MISS'} {text}")
    return all(ok for _, ok in checks)


def _gunicorn_shape():
    """Describe the worker set-up the repo's gunicorn config gives in this environment."""
    path = Path(settings.BASE_DIR) / "carnk_site" / "gunicorn.conf.py"
    spec = importlib.util.spec_from_file_location("gunicorn_conf", path)
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    shape = f"{conf.workers} {conf.worker_class} workers"
    return shape + (f" x {conf.threads} threads" if conf.worker_class == "gthread" else "")
