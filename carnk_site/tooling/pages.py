"""The pages benchmark: sizes, cached and uncached latency at two library sizes, and the page cache's hit rate
while an editor saves a claim every 2 s.

Each size gets a throwaway database with the synthetic library inserted in bulk (`insertlibrary`),
served by gunicorn with the repo's config and production settings. Uncached latency is taken at 2
connections, one per core of the development machine, so it measures a render rather than a queue;
16 connections, the figure the cached pages are measured at, is printed beside it for comparison.
"""

import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from django.conf import settings

from carnk_site.tooling.load import run_wrk
from carnk_site.tooling.run import (
    STATIC_NAME,
    _load,
    fetch,
    free_port,
    manage,
    production_env,
    served,
    throwaway_database,
    write_static_like,
)

SIZE_LIMIT = 150 * 1024
LISTS = (
    ("home page", "/"),
    ("all articles", "/articles/"),
    ("glossary index", "/glossary/"),
    ("sources", "/sources/"),
    ("search results", "/search/?q=cells"),
    ("change feed", "/changes.atom"),
)
# Sizes printed for information: open data is bounded by its page of claims, a page by the article's limits.
OTHERS = (
    ("claims.json", "/claims.json"),
    ("article page", "/articles/article-0001/"),
    ("source page", "/sources/source-01/"),
)
TIMED = (
    ("article page", "/articles/article-0001/"),
    ("glossary index", "/glossary/"),
    ("home page", "/"),
    ("all articles", "/articles/"),
    ("source page", "/sources/source-01/"),
)
UNCACHED_CONNECTIONS = 2
READERS = 8


def benchmark_pages(*, sizes, claims, terms, sources, seconds, out, mixed_seconds=40):
    """Measure every size in turn, then the hit rate on the largest; print verdicts; return True when all hold."""
    out(f"machine: {os.cpu_count()} cores, load average {_load()}")
    out(
        f"database: {'PostgreSQL' if os.environ.get('DATABASE_URL', '').startswith('postgres') else 'SQLite'}, "
        f"cache: {'Redis' if os.environ.get('REDIS_URL') else 'local memory (per worker)'}"
    )
    figures = {}
    largest = max(sizes)
    with tempfile.TemporaryDirectory(prefix="carnk-bench-") as workdir:
        for size in sorted(sizes):
            with throwaway_database(workdir, f"pages{size}") as url:
                env = production_env(url, Path(workdir) / "static", port=free_port())
                env["CACHE_KEY_PREFIX"] += f"-{size}"  # each library its own pages
                manage(env, "migrate", "--noinput", "-v0")
                manage(env, "collectstatic", "--noinput", "-v0")
                library = {"articles": size, "claims": claims * size // largest, "terms": terms, "sources": sources}
                out(
                    f"{size} articles, {library['claims']} claims, {terms} terms, {sources} sources (inserted in bulk):"
                )
                manage(env, "insertlibrary", *(f"--{key}={value}" for key, value in library.items()))
                figures[size] = measure_size(env, seconds, out)
                if size == largest:
                    figures["hit rate"] = measure_hit_rate(env, mixed_seconds, out)
    out(f"load average after: {_load()}")
    return verdicts(figures, sorted(sizes), out)


def measure_size(env, seconds, out):
    """Print and return the sizes, cached and uncached latencies and claims.json's cost at one library size."""
    result = {}
    with served(env) as (base, _process):
        result["sizes"] = {name: len(fetch(base + path)) for name, path in (*LISTS, *OTHERS)}
        last = json.loads(fetch(base + "/claims.json"))["pages"]
        result["claims.json pages"] = last
    out("  sizes: " + ", ".join(f"{name} {size / 1024:.0f} kB" for name, size in result["sizes"].items()))
    write_static_like(env["STATIC_ROOT"], result["sizes"]["article page"])
    with served(env) as (base, _process):
        out(f"  cached (wrk, 16 connections, {seconds} s each):")
        result["cached"] = _measure(base, (*TIMED, ("static CSS file", f"/static/{STATIC_NAME}")), 16, seconds, out)
    with served({**env, "PAGE_CACHE_SECONDS": "0"}) as (base, process):
        for connections in (UNCACHED_CONNECTIONS, 16):
            out(f"  without the page cache (every request renders), {connections} connections:")
            result[f"uncached {connections}"] = _measure(base, TIMED, connections, seconds, out)
        before = _peak_rss(process.pid)
        out(f"  claims.json without the page cache, 1 connection ({last} pages of claims):")
        pages = (("claims.json, first page", "/claims.json"), ("claims.json, last page", f"/claims.json?page={last}"))
        result["claims.json"] = _measure(base, pages, 1, max(3, seconds // 2), out)
        result["rss"] = (before, _peak_rss(process.pid))
        out(
            f"  workers' peak memory: {before / 1024:.0f} MB before claims.json, {result['rss'][1] / 1024:.0f} MB after"
        )
    return result


def measure_hit_rate(env, seconds, out):
    """Browse with READERS threads while `editclaims` saves a claim every 2 s; return hit rates (untouched, touched)."""
    with served(env) as (base, _process):
        editor = subprocess.Popen(
            [sys.executable, "manage.py", "editclaims", "--every", "2", "--seconds", str(seconds)],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        plan = json.loads(editor.stdout.readline())
        touched = set(plan["touched"])
        urls = [*plan["browsed"], "/", "/glossary/", "/articles/", "/evidence/"]
        for url in urls:  # warm: every page rendered once before the clock starts
            fetch(base + url)
        counts = {"untouched": [0, 0], "touched": [0, 0]}
        lock, end = threading.Lock(), time.monotonic() + seconds - 5

        def reader(seed):
            rng = random.Random(seed)
            while time.monotonic() < end:
                url = rng.choice(urls)
                with urllib.request.urlopen(base + url, timeout=30) as response:
                    hit = response.headers.get("X-Page-Cache") == "hit"
                    response.read()
                with lock:
                    counts["touched" if url in touched else "untouched"][0 if hit else 1] += 1

        threads = [threading.Thread(target=reader, args=(n,)) for n in range(READERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        saves = editor.communicate(timeout=60)[0].strip().splitlines()[-1]
    rates = {kind: hits / max(1, hits + misses) for kind, (hits, misses) in counts.items()}
    out(
        f"Mixed run: {READERS} readers for {seconds - 5} s over {len(urls)} pages while an editor saved a claim "
        f"every 2 s ({saves}; {len(touched)} of the pages cite the claims saved):"
    )
    for kind, (hits, misses) in counts.items():
        out(f"  pages the saves {'do not touch' if kind == 'untouched' else 'touch'}: {hits} hits, {misses} misses")
    return rates


def _measure(base, targets, connections, seconds, out):
    results = {}
    for name, path in targets:
        run_wrk(base + path, seconds=1, connections=connections)  # warm up
        r = results[name] = run_wrk(base + path, seconds=seconds, connections=connections, timeout=10)
        out(f"    {name:<24} {r.rps:>8.0f} req/s   p50 {r.p50:7.1f} ms   p99 {r.p99:7.1f} ms   errors {r.errors}")
    return results


def _peak_rss(master):
    """Return the largest peak resident memory (kB) of gunicorn's workers."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    peaks = []
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]))
    return max(peaks, default=0)


def table(figures, sizes, out):
    """Print one row per timed page at each size: cached req/s, p99 and share of the static file; uncached; size."""
    uncached = f"uncached {UNCACHED_CONNECTIONS}"
    out(f"Per page (cached: 16 connections; uncached: {UNCACHED_CONNECTIONS} connections, every request renders):")
    out(
        f"  {'page':<16} {'articles':>8} {'cached req/s':>12} {'p99 ms':>7} {'x static':>8} "
        f"{'uncached p50':>12} {'p99 ms':>7} {'size kB':>7}"
    )
    for name, _path in TIMED:
        for size in sizes:
            found = figures[size]
            cached, static, render = found["cached"][name], found["cached"]["static CSS file"], found[uncached][name]
            out(
                f"  {name:<16} {size:>8} {cached.rps:>12.0f} {cached.p99:>7.1f} {cached.rps / static.rps:>8.2f} "
                f"{render.p50:>12.1f} {render.p99:>7.1f} {found['sizes'][name] / 1024:>7.0f}"
            )
    for size in sizes:
        static = figures[size]["cached"]["static CSS file"]
        out(f"  {'static CSS file':<16} {size:>8} {static.rps:>12.0f} {static.p99:>7.1f} {1:>8.2f}")


def verdicts(figures, sizes, out):
    """Print each target with ok or MISS and the growth between the sizes; return True when all hold."""
    small, large = sizes[0], sizes[-1]
    checks = []
    table(figures, sizes, out)
    out(f"Growth from {small} to {large} articles:")
    for name, size in figures[large]["sizes"].items():
        out(f"  {name:<24} size {figures[small]['sizes'][name] / 1024:6.0f} kB -> {size / 1024:6.0f} kB")
    for kind in ("cached", f"uncached {UNCACHED_CONNECTIONS}"):
        for name, r in figures[large][kind].items():
            before = figures[small][kind][name]
            out(
                f"  {name:<24} {kind:<12} p50 {before.p50:6.1f} -> {r.p50:6.1f} ms, p99 {before.p99:6.1f} -> {r.p99:6.1f} ms"
            )
    big = figures[large]
    for name, _path in LISTS:
        checks.append(
            (
                f"{name}: {big['sizes'][name] / 1024:.0f} kB at {large} articles (target < 150 kB)",
                big["sizes"][name] < SIZE_LIMIT,
            )
        )
    static = big["cached"]["static CSS file"]
    article = big["cached"]["article page"]
    share = article.rps / static.rps
    checks.append((f"cached article: {share:.2f}x the static file's throughput (target >= 0.9x)", share >= 0.9))
    for name, r in big["cached"].items():
        checks.append((f"cached {name}: p99 {r.p99:.1f} ms (target < 50 ms)", r.p99 < 50))
    for name in ("article page", "glossary index", "home page"):
        r = big[f"uncached {UNCACHED_CONNECTIONS}"][name]
        checks.append(
            (
                f"uncached {name} at {UNCACHED_CONNECTIONS} connections: p50 {r.p50:.1f} ms (target < 30 ms), "
                f"p99 {r.p99:.1f} ms (target < 100 ms)",
                r.p50 < 30 and r.p99 < 100,
            )
        )
    for name, r in big["claims.json"].items():
        checks.append((f"uncached {name}: p99 {r.p99:.0f} ms (target < 1,000 ms)", r.p99 < 1000))
    rate = figures["hit rate"]["untouched"]
    checks.append((f"page-cache hits on pages the saves do not touch: {rate:.1%} (target >= 95%)", rate >= 0.95))
    out(f"  (pages the saves touch: {figures['hit rate']['touched']:.1%} hits)")
    errors = sum(
        r.errors
        for size in sizes
        for kind, results in figures[size].items()
        if kind.startswith(("cached", "uncached", "claims.json")) and isinstance(results, dict)
        for r in results.values()
    )
    checks.append((f"errors under load: {errors} (target 0)", errors == 0))
    out("Targets:")
    for text, ok in checks:
        out(f"  {'ok  ' if ok else 'MISS'} {text}")
    return all(ok for _, ok in checks)
