"""Settings for the test suite: fast hashing, local memory cache, plain static storage."""
import os

os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("PLAIN_STATIC_STORAGE", "1")

from carnk_site.settings import *  # noqa: E402,F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
