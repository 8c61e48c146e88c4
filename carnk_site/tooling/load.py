"""Drive HTTP load at one URL with wrk and read its figures."""

import re
import shutil
import subprocess
from dataclasses import dataclass

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


class LoadToolMissing(RuntimeError):
    pass


@dataclass
class LoadResult:
    """What wrk measured for one URL: throughput, latency percentiles (ms) and errors."""

    url: str
    requests: int
    rps: float
    p50: float
    p99: float
    errors: int


def run_wrk(url, *, connections=16, seconds=10, threads=1, timeout=5, script=None):
    """Run wrk against url for a bounded time and return its figures; `script` is a Lua file choosing each request."""
    if not shutil.which("wrk"):
        raise LoadToolMissing("wrk is not installed: `apt-get install -y wrk` (make bench installs it).")
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", f"--timeout={timeout}s", "--latency", url]
    if script:
        command[1:1] = ["-s", script]
    output = subprocess.run(command, capture_output=True, text=True, check=True, timeout=seconds + 60).stdout
    return parse_wrk(url, output)


def parse_wrk(url, output):
    """Read requests, req/s, p50, p99 and errors (socket errors and non-2xx/3xx) from wrk's report."""
    percentiles = {
        int(p): _ms(value, unit) for p, value, unit in re.findall(r"^\s+(\d+)%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M)
    }
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = (sum(map(int, socket_errors.groups())) if socket_errors else 0) + (int(non_2xx.group(1)) if non_2xx else 0)
    return LoadResult(
        url=url,
        requests=int(re.search(r"(\d+) requests in", output).group(1)),
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        p50=percentiles[50],
        p99=percentiles[99],
        errors=errors,
    )


def _ms(value, unit):
    return float(value) * UNITS[unit]
