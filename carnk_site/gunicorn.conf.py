"""gunicorn settings, read from the environment: `gunicorn -c carnk_site/gunicorn.conf.py carnk_site.wsgi`.

Listens on 127.0.0.1 by default: in production a proxy or CDN sits in front (set GUNICORN_BIND
to listen elsewhere). The app is loaded once before forking, so workers share its memory.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# Sync workers: one request at a time each, which gave a steadier p99 here than gthread. They
# need something in front that buffers slow clients (the proxy or CDN does); set
# GUNICORN_WORKER_CLASS=gthread (and GUNICORN_THREADS) to face clients directly.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", "1" if worker_class == "sync" else "4"))
preload_app = True
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
keepalive = 5
# Recycling workers (a guard against leaks) is off by default: a new worker starts with an empty
# local-memory cache. GUNICORN_MAX_REQUESTS turns it on.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None  # "-" for stdout; off by default
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# gunicorn's control socket is one path per user: two servers on one machine would fight over it.
control_socket_disable = True


def on_starting(server):
    if workers > 1 and not os.environ.get("REDIS_URL"):
        server.log.warning(
            "REDIS_URL is not set: each worker keeps its own page cache, so an edit may take up to "
            "PAGE_CACHE_SECONDS to show in the other workers. Use Redis in production."
        )


def post_fork(server, worker):
    """Give each worker its own database connections: none may be shared across a fork."""
    from django.db import connections

    connections.close_all()
