"""Settings for the CAR-NK explainer, read from the environment.

Development defaults are safe to run locally. With DEBUG off, a missing secret key or host
list is an error, never a silent fallback.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def read_development_env(path):
    """Fill unset variables from the development `.env` that `make setup` writes.

    Never in production: the file is ignored whenever the environment sets DJANGO_DEBUG or
    DJANGO_SECRET_KEY, and production always sets both.
    """
    if "DJANGO_DEBUG" in os.environ or "DJANGO_SECRET_KEY" in os.environ or not path.is_file():
        return
    for line in path.read_text().splitlines():
        name, sep, value = line.strip().partition("=")
        if sep and name and not name.startswith("#"):
            os.environ.setdefault(name.strip(), value.strip())


read_development_env(BASE_DIR / ".env")
CONTENT_DIR = Path(os.environ.get("CONTENT_DIR", BASE_DIR / "content"))


def env_flag(name, default=False):
    """Return a boolean environment variable ('1', 'true', 'yes' and 'on' are true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name):
    """Return a comma-separated environment variable as a list of non-empty items."""
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


DEBUG = env_flag("DJANGO_DEBUG")

if DEBUG:
    SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "development-only-not-secret")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or ["127.0.0.1", "localhost", "[::1]", "testserver"]
else:
    SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    if not SECRET_KEY:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DJANGO_DEBUG is off.")

# HTTPS is on whenever DEBUG is off; DJANGO_HTTPS=0 only serves plain HTTP on a private machine (make serve).
HTTPS = env_flag("DJANGO_HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS and env_flag("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = HTTPS and env_flag("SECURE_HSTS_PRELOAD")
if env_flag("DJANGO_BEHIND_PROXY"):
    # The proxy or CDN in front terminates TLS and says so in X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Security headers on every response (tests/security/test_headers.py checks each page type).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
PERMISSIONS_POLICY = (
    "accelerometer=(), browsing-topics=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
# Readers' pages load only this site's own files: no inline script or style, no eval, no plugins,
# no framing. The admin's own templates carry inline styles (never scripts), so its pages add
# 'unsafe-inline' to style-src only (carnk_site/reliability/headers.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        **({"upgrade-insecure-requests": True} if HTTPS else {}),
    },
}

# The editors' admin lives at ADMIN_PATH (default "admin/"); a less guessable path keeps bots off the login form.
ADMIN_PATH = os.environ.get("ADMIN_PATH", "admin/").strip("/") + "/"

# Big enough for the largest text an editor may save (a source's archived text), and no bigger.
# Django's 2.5 MB default answered a long paste with a bare 400; now the form states each limit.
from carnk_site.core import limits  # noqa: E402

DATA_UPLOAD_MAX_MEMORY_SIZE = limits.UPLOAD_BYTES

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "carnk_site.caching",
    "reversion",
    "reversion_compare",
    "carnk_site.evidence",
    "carnk_site.glossary",
    "carnk_site.articles",
    "carnk_site.publishing",
    "carnk_site.reader",
    "carnk_site.content_files",
    "carnk_site.editorial",
    "carnk_site.review",
    "carnk_site.feedback",
    "carnk_site.about",
    "carnk_site.machine_readable",
    "django.contrib.sitemaps",
    "carnk_site.search",
    "carnk_site.translations",
    "csp",
    "axes",
]
# Benchmarks, the soak test and the synthetic library: for development and `make bench` / `make soak`
# (DJANGO_TOOLING=1), never installed in production.
if env_flag("DJANGO_TOOLING", default=DEBUG):
    INSTALLED_APPS.append("carnk_site.tooling")

MIDDLEWARE = [
    # First of all: a cached public page returns at once, with every header the rest of the stack
    # set when it was rendered (security, CSP, language), replayed from the cache.
    "carnk_site.caching.middleware.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "carnk_site.reliability.headers.SecurityHeadersMiddleware",
    # Before anything reads the request: control characters and malformed addresses get a 400.
    "carnk_site.reliability.requests.BadInputMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "carnk_site.reliability.middleware.DatabaseOutageMiddleware",
    # The address's language is active before any view runs (the page cache reads it from the address too).
    "carnk_site.translations.middleware.AddressLanguageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "carnk_site.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "carnk_site.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}

# django-axes: 5 failed sign-ins lock out that address, and that user name, for 15 minutes.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "carnk_site.reliability.clientip.client_ip"

# Moderation e-mails (a change waits for review, was approved or sent back): printed to the console in
# development, sent by SMTP in production (EMAIL_HOST and friends). A failed send is logged, never lost work.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS")
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# English at today's addresses; each other language under its own prefix (/zh-hans/…, /hi/…). The address
# alone chooses the language (carnk_site/translations/middleware.py), so one address is one page to cache.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文"), ("hi", "हिन्दी")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["carnk_site.core.formats"]  # each language's DATE_FORMAT: "21 May 2027", "2027年5月21日"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_flag("PLAIN_STATIC_STORAGE")
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis shares cached pages and the content version between workers; local memory is per process.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "carnk_site.caching.redis.RedisCache",  # Django's, reusing its Redis client
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "carnk"),
            # A slow or missing Redis must cost a request half a second at most (pages then come from the database).
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    # Bounded: 500 entries (each page at most PAGE_CACHE_MAX_BYTES), per process; a full cache culls a third.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 500}}}

# Public pages: kept server-side for PAGE_CACHE_SECONDS (0 turns that off; edits invalidate at once),
# by browsers for PAGE_CACHE_MAX_AGE and by a CDN for PAGE_CACHE_S_MAXAGE (+ stale-while-revalidate).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
PAGE_CACHE_MAX_AGE = int(os.environ.get("PAGE_CACHE_MAX_AGE", "60"))
PAGE_CACHE_S_MAXAGE = int(os.environ.get("PAGE_CACHE_S_MAXAGE", "240"))
PAGE_CACHE_STALE_SECONDS = int(os.environ.get("PAGE_CACHE_STALE_SECONDS", "60"))
# Pages larger than this are served but never stored.
# How long a worker trusts the page versions it read from Redis (another worker's save reaches it
# within this), and how many bytes of pages it keeps in its own memory (0: none).
PAGE_CACHE_VERSION_SECONDS = float(os.environ.get("PAGE_CACHE_VERSION_SECONDS", "1"))
PAGE_CACHE_LOCAL_BYTES = int(os.environ.get("PAGE_CACHE_LOCAL_BYTES", str(16 * 1024 * 1024)))
PAGE_CACHE_MAX_BYTES = int(os.environ.get("PAGE_CACHE_MAX_BYTES", str(2 * 1024 * 1024)))

# A change affecting more articles than this commits at once and re-renders them after the response,
# in a thread of the same process (carnk_site/publishing/background.py): no save waits on the library.
PUBLISHING_IN_REQUEST_MAX_ARTICLES = int(os.environ.get("PUBLISHING_IN_REQUEST_MAX_ARTICLES", "100"))
PUBLISHING_IN_BACKGROUND = True
# A refresh job whose runner gave no sign of life for this long is taken over; each worker looks for
# such jobs while serving requests at most once per PUBLISHING_RESUME_CHECK_SECONDS (None: never).
PUBLISHING_JOB_STALE_SECONDS = int(os.environ.get("PUBLISHING_JOB_STALE_SECONDS", "30"))
PUBLISHING_RESUME_CHECK_SECONDS = 10

# At most this many admin previews render at once, site-wide (shared through the cache); more get a 429.
PREVIEW_CONCURRENCY = int(os.environ.get("PREVIEW_CONCURRENCY", "2"))
# The live preview beside the editor's text: one at a time per editor, at most this many site-wide
# (default half the CPUs, at least one: the other half stays for readers while ten editors type).
LIVE_PREVIEW_CONCURRENCY = int(os.environ.get("LIVE_PREVIEW_CONCURRENCY", max(1, (os.cpu_count() or 1) // 2)))
# Live previews render in threads niced by this much (Linux), so readers' requests get the CPUs first; 0: no change.
LIVE_PREVIEW_NICENESS = int(os.environ.get("LIVE_PREVIEW_NICENESS", "10"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
