"""Settings read from the environment, so one codebase serves the demo, the tests and production.

SQLite is the default (WAL, immediate transactions, a busy timeout: safe under a few concurrent writers);
``DATABASE_URL`` switches to PostgreSQL, ``REDIS_URL`` puts the cache and sessions in Redis so any number of
stateless app servers can share them.

``DEBUG`` is off unless set, and with it off the app is safe to deploy as it stands: HTTPS only (redirect, HSTS,
secure cookies), and it will not serve without a real ``SECRET_KEY`` (``config.startup``). Each security
setting can still be switched by an environment variable of the same name, so a benchmark or a private network
can run these production settings over plain HTTP. The demo (``manage.py demo``) and the tests
(``config.test_settings``) set what they need for themselves.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import django_stubs_ext

django_stubs_ext.monkeypatch()  # lets admin and form classes take type arguments at run time (django-stubs)

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not (value.isascii() and value.isdigit()):
        raise SystemExit(f"Offer Architect will not start: {name} must be a whole number of seconds, not {value!r}.")
    return int(value)


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_flag("DEBUG", default=False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "insecure-development-key-only-for-the-local-demo-never-for-a-deployment"
# With DEBUG off and no key of 50 characters or more, config.startup refuses to serve (wsgi, asgi, runserver).
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "accounts",
    "offers",
    "funnels",
    "api",
    "django_tasks_db",  # the default background backend's table (django.tasks)
    "django_rq",  # the worker command of the RQ backend (manage.py rqworker), used where REDIS_URL is set
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.sessions.IdleTimeoutMiddleware",
    "accounts.sessions.NoStoreMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "django.template.context_processors.csp",
                "accounts.context.workspace",
            ],
        },
    },
]

# Lower-case names: module-level upper-case names are settings, and a settings page (DEBUG's error page
# included) would show a URL's password.
_database_url = os.environ.get("DATABASE_URL", "")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            },
        }
    }

_redis_url = os.environ.get("REDIS_URL", "")
CACHES: dict[str, dict[str, object]]
# "pages" holds whole rendered pages (accounts.page_cache): tens to hundreds of KB each, so apart from the small
# entries of "default", and in local memory with room for a few hundred (a worker's peak stays tens of MB)
if _redis_url:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis_url},
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _redis_url,
            "KEY_PREFIX": "pages",
        },
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    # room for every funnel's cached analysis (funnels.presenters.analysis) beside the rate limits: the default
    # of 300 entries would cull them as soon as a practice has a hundred funnels
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 5000}},
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "pages",
            "OPTIONS": {"MAX_ENTRIES": env_int("PAGE_CACHE_ENTRIES", 300)},
        },
    }

# -- background work: Django's tasks framework. The database backend by default (worker: manage.py db_worker);
# RQ on Redis where REDIS_URL is set (worker: manage.py rqworker --job-class django_tasks_rq.Job default).
if _redis_url:
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": _redis_url, "DEFAULT_TIMEOUT": 3600}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 3600}}  # only if chosen
ORDERS_UPLOAD_DIR = Path(os.environ.get("ORDERS_UPLOAD_DIR", "") or Path("/tmp") / "offer-architect-orders")
"""Where uploaded orders files wait for the worker (deleted once read); shared by web and worker hosts."""
ORDERS_UPLOAD_MAX_BYTES = env_int("ORDERS_UPLOAD_MAX_BYTES", 512 * 1024 * 1024)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "funnels:list"
LOGOUT_REDIRECT_URL = "accounts:sign-in"
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = DEBUG  # serve straight from static/ in development; collectstatic for production

# -- signing in --------------------------------------------------------------------------------------------------
# django-axes counts failed sign-ins per account and per address separately: ten wrong passwords for one account,
# from however many addresses, lock that account; ten from one address lock that address. The address is the
# client's as read through the trusted proxies (core.client_ip), never the proxy's own.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(seconds=env_int("AXES_COOLOFF_SECONDS", 3600))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # a lock ends when it said it would, however often tried
AXES_CLIENT_IP_CALLABLE = "core.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.views.signing.locked_out"
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
"""Addresses or networks of the proxies in front of the app (``10.0.0.0/8,192.0.2.7``): only a request from one
of them has its ``X-Forwarded-For`` read. Empty: the app faces clients directly."""

SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 2 * 3600)
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT  # Django's expiry, pushed on as the session is used (accounts.sessions)
REAUTH_WINDOW = env_int("REAUTH_WINDOW", 5 * 60)
"""Seconds after typing the password during which deleting a practice or a funnel does not ask for it again."""
INVITATION_MAX_AGE_DAYS = env_int("INVITATION_MAX_AGE_DAYS", 7)
FUNNEL_TRASH_DAYS = env_int("FUNNEL_TRASH_DAYS", 30)
"""Days a deleted funnel stays in the trash, restorable, before ``manage.py purge_trash`` removes it for good."""
FUNNEL_VERSION_FOLD_SECONDS = env_int("FUNNEL_VERSION_FOLD_SECONDS", 120)
"""Consecutive edits of one field by one person within this many seconds of each other are kept as one version."""
FUNNEL_UNDO_DEPTH = env_int("FUNNEL_UNDO_DEPTH", 50)
"""How many of a person's own consecutive edits of a funnel undo reaches back over."""
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 3 * 3600)

RATE_LIMITS = {
    # name: (requests, per seconds), counted in the cache (core.rate_limit)
    "sign-up-ip": (env_int("RATE_LIMIT_SIGN_UP", 10), 3600),
    "password-reset-ip": (env_int("RATE_LIMIT_PASSWORD_RESET", 10), 3600),
    "invite-ip": (env_int("RATE_LIMIT_INVITE_IP", 30), 3600),
    "invite-practice": (env_int("RATE_LIMIT_INVITE_PRACTICE", 50), 24 * 3600),
    "join-ip": (env_int("RATE_LIMIT_JOIN", 20), 3600),
    "csp-report-ip": (env_int("RATE_LIMIT_CSP_REPORT", 30), 60),
    "api-token": (env_int("RATE_LIMIT_API", 120), 60),  # each API token (api.auth)
    "api-failed-ip": (env_int("RATE_LIMIT_API_FAILED", 30), 60),  # requests with a bad token, per address
}

# -- email: the console unless an SMTP host is given (Django's MAILERS) ---------------------------------------------
_email_host = os.environ.get("EMAIL_HOST", "")
if _email_host:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host,
                "port": env_int("EMAIL_PORT", 587),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_flag("EMAIL_USE_TLS", True),
                "use_ssl": env_flag("EMAIL_USE_SSL", False),
                "timeout": env_int("EMAIL_TIMEOUT", 10),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Offer Architect <no-reply@localhost>")

# -- HTTPS and headers ---------------------------------------------------------------------------------------------
# On by default with DEBUG off; each one switched by the variable of its own name.
SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = env_list("SECURE_REDIRECT_EXEMPT", r"^healthz$")
"""Paths (regular expressions, without the leading slash) served over plain HTTP too: the load balancer's probe."""
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_flag("SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = env_flag("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_flag("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
_proxy_ssl_header = env_list("SECURE_PROXY_SSL_HEADER")  # e.g. "HTTP_X_FORWARDED_PROTO,https"
if _proxy_ssl_header:
    if len(_proxy_ssl_header) != 2:
        raise SystemExit('Offer Architect will not start: SECURE_PROXY_SSL_HEADER must be "HEADER,value".')
    SECURE_PROXY_SSL_HEADER = (_proxy_ssl_header[0], _proxy_ssl_header[1])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")  # e.g. "https://offers.example.com"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = [
    # Preloading is a promise to browsers' built-in lists that cannot be taken back quickly; a deployment opts in
    # with SECURE_HSTS_PRELOAD=true, and until it does, the reminder that it has not is silenced.
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
    # Without EMAIL_HOST, mail is written to the console (the server's log) on purpose, so that invitations and
    # reset links of a deployment without SMTP are still found; EMAIL_HOST switches to SMTP.
    *([] if _email_host else ["mail.E001"]),
]

from django.utils.csp import CSP  # noqa: E402  (after the settings it does not depend on)

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "report-uri": ["/csp-report/"],
}

# -- logging: security events as one JSON object a line on stderr ---------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "core.log_format.JsonLinesFormatter"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr", "formatter": "json"}},
    "loggers": {
        "security": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "django.security": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
        "django.request": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
        "axes": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
    },
}
