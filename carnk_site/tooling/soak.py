"""The soak test: gunicorn on 127.0.0.1 under steady load, counting errors and watching worker memory.

gunicorn runs with the repo's config but `--max-requests 0`: the config restarts workers now and
then as a guard against leaks, and a soak must see a leak rather than have it hidden. Load comes
from wrk (or, without it, a threaded Python client) cycling through every reader page. Worker
memory (RSS, from /proc) is sampled each second; after a warm-up, the trend of the total is
reported as a least-squares slope and as the change between the first and last quarter.
"""

import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.urls import reverse

PORTS = range(8400, 8500)
WARM_UP_FRACTION = 0.25
# Growth allowed between the first and last quarter after warm-up: noise, not a leak.
GROWTH_LIMIT_FRACTION = 0.05
GROWTH_LIMIT_MB = 8.0
SEARCHES = ["cord blood", "side effects", "CRS", "donor", "trial", "nk cell"]


@dataclass
class LoadResult:
    requests: int = 0
    errors: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def error_count(self):
        return sum(self.errors.values())


@dataclass
class MemoryTrend:
    samples: list  # (seconds since start, total worker RSS in MB, worker count)
    warm_up: float

    @property
    def steady(self):
        return [(t, mb) for t, mb, _ in self.samples if t >= self.warm_up]

    @property
    def slope_mb_per_minute(self):
        points = self.steady
        if len(points) < 3:
            return 0.0
        return statistics.linear_regression([t for t, _ in points], [mb for _, mb in points]).slope * 60

    @property
    def quarters(self):
        """Return the median total RSS of the first and the last quarter after warm-up."""
        values = [mb for _, mb in self.steady]
        quarter = max(1, len(values) // 4)
        return statistics.median(values[:quarter]), statistics.median(values[-quarter:])

    @property
    def growth_mb(self):
        first, last = self.quarters
        return last - first

    @property
    def growing(self):
        first, _ = self.quarters
        return self.growth_mb > max(GROWTH_LIMIT_MB, GROWTH_LIMIT_FRACTION * first)


def free_port():
    for port in PORTS:
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 8400-8499")


def reader_paths():
    """Return every page a reader can reach, each answering 200, from what is in the database now."""
    from carnk_site.articles.models import Article
    from carnk_site.evidence.models import Claim, Source
    from carnk_site.glossary.models import Term

    paths = [
        reverse("pages:home"),
        reverse("glossary:index"),
        reverse("evidence:sources"),
        reverse("evidence:levels"),
        reverse("evidence:claims_json"),
    ]
    paths += [a.get_absolute_url() for a in Article.objects.published()]
    paths += [t.get_absolute_url() for t in Term.objects.all()]
    paths += [reverse("glossary:term_json", args=[t.slug]) for t in Term.objects.all()[:20]]
    paths += [s.get_absolute_url() for s in Source.objects.public()]
    paths += [reverse("evidence:claim_json", args=[c.slug]) for c in Claim.objects.public()[:20]]
    paths += [reverse("search:results") + "?q=" + q.replace(" ", "+") for q in SEARCHES]
    return paths


@contextmanager
def gunicorn(port, workers=None, env=None):
    """Run gunicorn with the repo's config on 127.0.0.1:port until the block ends; yield its master process."""
    env = {**os.environ, **(env or {}), "PORT": str(port), "GUNICORN_BIND": f"127.0.0.1:{port}"}
    if workers:
        env["WEB_CONCURRENCY"] = str(workers)
    config = Path(settings.BASE_DIR) / "carnk_site" / "gunicorn.conf.py"
    log = tempfile.TemporaryFile()
    master = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(config), "--max-requests", "0", "carnk_site.wsgi"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until_serving(master, port, log)
        yield master
    finally:
        master.terminate()
        try:
            master.wait(timeout=30)
        except subprocess.TimeoutExpired:
            master.kill()
            master.wait()
        log.close()


def wait_until_serving(master, port, log, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if master.poll() is not None:
            log.seek(0)
            raise RuntimeError("gunicorn exited:\n" + log.read().decode(errors="replace")[-3000:])
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within a minute")


def worker_rss(master_pid):
    """Return {pid: resident memory in bytes} for the master's worker processes (Linux /proc)."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    pids = [int(p) for p in children.read_text().split()] if children.exists() else []
    rss = {}
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue  # the worker exited between the two reads
        match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
        if match:
            rss[pid] = int(match.group(1)) * 1024
    return rss


def sample_memory(master_pid, seconds, every=1.0):
    """Sample the workers' total RSS every second for `seconds`; return the samples and every pid seen."""
    samples, seen, start = [], set(), time.monotonic()
    while (elapsed := time.monotonic() - start) < seconds:
        rss = worker_rss(master_pid)
        seen |= set(rss)
        samples.append((round(elapsed, 1), sum(rss.values()) / 2**20, len(rss)))
        time.sleep(every)
    return samples, seen


def primed(base, paths):
    """Fetch each path once; return those that did not answer 200 (they would count as errors)."""
    bad = []
    for path in paths:
        try:
            with urllib.request.urlopen(base + path, timeout=30) as response:
                if response.status != 200:
                    bad.append((path, response.status))
        except OSError as exc:
            bad.append((path, str(exc)))
    return bad


WRK_SCRIPT = """
local paths = {%s}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
"""


def load_with_wrk(base, paths, seconds, connections):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % ", ".join(f'"{p}"' for p in paths))
    try:
        threads = min(connections, os.cpu_count() or 1)
        output = subprocess.run(
            [
                "wrk",
                "-t",
                str(threads),
                "-c",
                str(connections),
                "-d",
                f"{seconds}s",
                "--timeout",
                "10s",
                "-s",
                script.name,
                base,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(script.name)
    result = LoadResult(seconds=seconds)
    result.requests = int(re.search(r"(\d+) requests in", output).group(1))
    if sockets := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output):
        for kind, count in zip(("connect", "read", "write", "timeout"), sockets.groups(), strict=True):
            if int(count):
                result.errors[f"socket {kind}"] = int(count)
    if bad := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        result.errors["non-2xx/3xx status"] = int(bad.group(1))
    return result


def load_with_python(base, paths, seconds, connections):
    """A plain threaded client, for machines without wrk: keep-alive connections cycling through the paths."""
    host, port = base.removeprefix("http://").split(":")
    result, lock, deadline = LoadResult(seconds=seconds), threading.Lock(), time.monotonic() + seconds

    def client(offset):
        done, errors, conn = 0, Counter(), None
        n = offset
        while time.monotonic() < deadline:
            n += 1
            try:
                conn = conn or http.client.HTTPConnection(host, int(port), timeout=10)
                conn.request("GET", paths[n % len(paths)])
                response = conn.getresponse()
                response.read()
                if response.status >= 400:
                    errors[f"status {response.status}"] += 1
            except (OSError, http.client.HTTPException) as exc:
                errors[type(exc).__name__] += 1
                conn = None
            done += 1
        with lock:
            result.requests += done
            result.errors.update(errors)

    workers = [threading.Thread(target=client, args=(i * 7,)) for i in range(connections)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return result


def soak(*, seconds, connections, workers=None, client="auto", out=print):
    """Run the soak; print figures; return True when there were no errors and memory did not grow."""
    paths = reader_paths()
    port = free_port()
    use_wrk = client == "wrk" or (client == "auto" and shutil.which("wrk"))
    with gunicorn(port, workers) as master:
        base = f"http://127.0.0.1:{port}"
        bad = primed(base, paths)
        if bad:
            out(f"These pages do not answer 200, so the soak would count them as errors: {bad[:10]}")
            return False
        out(
            f"gunicorn on {base}, {len(worker_rss(master.pid))} workers (max-requests off); "
            f"{connections} connections for {seconds} s over {len(paths)} reader pages with "
            f"{'wrk' if use_wrk else 'the Python client'}"
        )
        memory = {}

        def sample():
            memory["samples"], memory["pids"] = sample_memory(master.pid, seconds)

        sampler = threading.Thread(target=sample)
        sampler.start()
        load = (load_with_wrk if use_wrk else load_with_python)(base, paths, seconds, connections)
        sampler.join()
        still_serving = not primed(base, paths[:1])
    trend = MemoryTrend(memory["samples"], warm_up=seconds * WARM_UP_FRACTION)
    report(load, trend, memory["pids"], still_serving, out)
    return load.error_count == 0 and not trend.growing and still_serving


def report(load, trend, pids, still_serving, out):
    out(f"requests: {load.requests} ({load.requests / load.seconds:.0f}/s)")
    out(f"errors: {load.error_count}" + (f" {dict(load.errors)}" if load.errors else ""))
    every = max(1, len(trend.samples) // 12)
    out(
        "worker memory (total RSS, MB) over time: "
        + ", ".join(f"{t:.0f}s {mb:.1f}" for t, mb, _ in trend.samples[::every])
    )
    first, last = trend.quarters
    workers = {count for _, _, count in trend.samples}
    out(
        f"memory after {trend.warm_up:.0f} s warm-up: first quarter {first:.1f} MB, last quarter {last:.1f} MB, "
        f"growth {trend.growth_mb:+.1f} MB, slope {trend.slope_mb_per_minute:+.2f} MB/min; "
        f"worker processes seen: {len(pids)} (count per sample: {sorted(workers)})"
    )
    out(
        f"verdict: {'no errors' if load.error_count == 0 else 'ERRORS'}; "
        f"{'memory GROWING' if trend.growing else 'memory steady'}; "
        f"{'still serving' if still_serving else 'NOT SERVING after the load'}"
    )
