"""The soak script itself: its verdicts can fail, and a short run against real gunicorn reports the figures.

The full 60 s, 32-connection run is `make soak` (figures in docs/performance.md); a timed test would be flaky.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from carnk_site.tooling.soak import MemoryTrend

BASE_DIR = Path(__file__).resolve().parents[2]


def test_a_steady_climb_is_reported_as_growth_and_noise_is_not():
    leak = MemoryTrend([(t, 300 + 0.8 * t, 5) for t in range(60)], warm_up=15)
    assert leak.growing and leak.slope_mb_per_minute > 40
    noisy = MemoryTrend([(t, 300 + (3 if t % 2 else -3), 5) for t in range(60)], warm_up=15)
    assert not noisy.growing and abs(noisy.growth_mb) < 1
    warming = MemoryTrend([(t, 200 + min(t, 10) * 10, 5) for t in range(60)], warm_up=15)
    assert not warming.growing  # memory that settles during the warm-up is not a leak


@pytest.mark.slow
def test_a_short_soak_against_gunicorn_reports_no_errors_and_steady_memory(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS"))}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_TOOLING="1",  # as `make soak` sets it: the soak command is tooling, not installed in production
        DJANGO_HTTPS="0",
        DJANGO_SECRET_KEY="s" * 60,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        PLAIN_STATIC_STORAGE="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'soak.sqlite3'}",
    )

    def manage(*args, timeout=300):
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=timeout
        )

    assert manage("migrate", "--noinput").returncode == 0
    assert manage("loadcontent", "--path", str(settings.CONTENT_DIR)).returncode == 0
    result = manage("soak", "--seconds", "4", "--connections", "4", "--workers", "2", "--client", "python")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "errors: 0" in result.stdout
    assert "memory steady" in result.stdout and "still serving" in result.stdout
    assert "gunicorn on http://127.0.0.1:84" in result.stdout
