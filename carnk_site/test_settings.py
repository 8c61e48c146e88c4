"""Settings for the test suite: fast hashing, local memory cache, plain static storage."""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("PLAIN_STATIC_STORAGE", "1")

from carnk_site.settings import *  # noqa: E402,F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SECURE_SSL_REDIRECT = False
# Tests change content inside transactions that never commit, so nothing would invalidate a stored
# page; tests/test_caching.py turns storing on where it is what is being tested.
PAGE_CACHE_SECONDS = 0
PAGE_CACHE_VERSION_SECONDS = 0
PAGE_CACHE_LOCAL_BYTES = 0
# Large refreshes run through their job table at the end of publishing, in the test's own thread
# (a thread would write outside the test's transaction); tests/test_background_refresh.py runs one.
PUBLISHING_IN_BACKGROUND = False
# No request looks for abandoned refresh jobs (it would add a query to whichever test comes next);
# tests/test_attack_refresh_jobs.py turns the look on where it is what is being tested.
PUBLISHING_RESUME_CHECK_SECONDS = None
# Live previews render in the test's own thread: a niced thread would read outside the test's transaction.
LIVE_PREVIEW_NICENESS = 0
