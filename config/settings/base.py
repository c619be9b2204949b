"""Settings shared by every environment. Values that differ come from the environment."""

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(os.environ.get("KARNAMEH_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

INSTALLED_APPS = [
    "karnameh.accounts.admin_site.KarnamehAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "karnameh.common",
    "karnameh.accounts",
    "karnameh.agencies",
    "karnameh.audit",
    "karnameh.catalogue",
    "karnameh.files",
    "karnameh.cycles",
    "karnameh.agreements",
    "karnameh.assessments",
    "karnameh.notifications",
    "karnameh.feedback",
    "karnameh.evaluations",
    "karnameh.inquiries",
    "karnameh.objections",
    "karnameh.results",
    "karnameh.jobs",
    "karnameh.reports",
    "karnameh.exports",
    "karnameh.portal",
    "karnameh.dashboards",
    "karnameh.api",
]

MIDDLEWARE = [
    # Outermost: it times everything below it and tags every log line of the request.
    "karnameh.common.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "karnameh.accounts.middleware.SessionTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "karnameh.common.middleware.NoStoreMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "karnameh" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "karnameh.accounts.context_processors.navigation",
                "karnameh.notifications.context_processors.unread",
            ],
            "builtins": ["django.templatetags.i18n", "karnameh.common.templatetags.fa"],
        },
    }
]

# SQLite by default so a newcomer needs no service; DATABASE_URL=postgres://… for the real thing.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'karnameh.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        # A restarted database would otherwise give 500s on reused connections.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # One writer at a time on SQLite: wait for the lock instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
elif os.environ.get("DB_PREPARE", "true").lower() not in ("0", "false", "no", "off"):
    # Parameters bound by the server, and a statement run a few times on one connection
    # prepared there: PostgreSQL then plans it once instead of on every request (planning the
    # participation's eight-table read costs more than running it). DB_PREPARE=false behind a
    # pooler in transaction mode, which cannot keep a connection's prepared statements.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=int(os.environ.get("DB_PREPARE_AFTER", "2"))
    )
# A PostgreSQL streaming replica of DATABASE_URL for the public portal and the report pages
# (karnameh/common/replica.py); everything else, and every write, stays on the primary.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = {
        **dj_database_url.parse(
            os.environ["DATABASE_REPLICA_URL"],
            conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
            conn_health_checks=True,
        ),
        # libpq gives up after 2 s (not the system's TCP timeout of minutes): the pages then
        # read from the primary (karnameh/common/replica.py).
        "OPTIONS": {**DATABASES["default"].get("OPTIONS", {}), "connect_timeout": 2},
        # Tests: the same test database, as the replica would hold the same rows.
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["karnameh.common.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["karnameh.accounts.backends.RoleBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (karnameh.accounts.throttle, docs/security.md): failures of one account from
# one address (or from the account's own browser), of one address over all accounts, and of one
# account over all addresses (never applied to the account's own browsers), in a sliding window.
LOGIN_FAILURES_PER_ACCOUNT = int(os.environ.get("LOGIN_FAILURES_PER_ACCOUNT", "5"))
LOGIN_FAILURES_PER_IP = int(os.environ.get("LOGIN_FAILURES_PER_IP", "20"))
LOGIN_FAILURES_PER_ACCOUNT_TOTAL = int(os.environ.get("LOGIN_FAILURES_PER_ACCOUNT_TOTAL", "20"))
LOGIN_FAILURE_WINDOW_MINUTES = int(os.environ.get("LOGIN_FAILURE_WINDOW_MINUTES", "15"))
# A signed-in session ends after this long without a request, and this long after the sign-in
# whatever its activity (karnameh.accounts.middleware); 0 turns a limit off.
SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
SESSION_ABSOLUTE_HOURS = int(os.environ.get("SESSION_ABSOLUTE_HOURS", "8"))
# Behind a reverse proxy every request comes from the proxy: name the header it sets with the
# real client's address (e.g. HTTP_X_REAL_IP), or all clients share one throttle count.
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "")

SESSION_COOKIE_AGE = 8 * 60 * 60  # one working day
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "karnameh.common.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Everything the pages load is ours: no inline script, no CDN.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LANGUAGE_CODE = "fa"
LANGUAGES = [("fa", "فارسی")]
LOCALE_PATHS = [BASE_DIR / "karnameh" / "locale"]
USE_I18N = True
# Stored in UTC, shown in Tehran time.
USE_TZ = True
TIME_ZONE = "Asia/Tehran"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "karnameh" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))


def s3_storage() -> dict[str, Any]:
    """Uploaded files in an S3-compatible bucket (django-storages), from the environment
    (deploy/env.example, docs/deploy.md). Nothing here opens a connection."""
    from botocore.config import Config

    bucket = os.environ.get("S3_BUCKET", "")
    if not bucket:
        raise ImproperlyConfigured("STORAGE_BACKEND=s3 needs S3_BUCKET.")
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            # Empty: Amazon's own endpoints; otherwise the provider's (MinIO, Ceph, ...).
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            # Empty: boto3 looks for credentials itself (its environment names, an instance role).
            "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
            # "path" for servers without bucket names in DNS (MinIO, most private installs).
            "addressing_style": os.environ.get("S3_ADDRESSING_STYLE") or None,
            "signature_version": "s3v4",
            # Evidence is never public: objects get the bucket's (private) ACL, and any URL to
            # one is signed and short-lived. Downloads are streamed by the app after its
            # permission check (karnameh/files/responses.py), so no URL is handed out today.
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": int(os.environ.get("S3_URL_EXPIRE_SECONDS", "60")),
            # A file being read (a download, a backup) is held in memory up to 2 MB, and on
            # the temporary disk beyond, not whole in memory (uploads go up to 20 MB).
            "max_memory_size": 2 * 1024 * 1024,
            # boto3 1.36+ adds checksums that several S3-compatible servers refuse; only
            # when the operation demands one.
            "client_config": Config(
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
                connect_timeout=5,
                read_timeout=30,
                retries={"max_attempts": 3, "mode": "standard"},
            ),
        },
    }


# Uploaded files (evidence, circulars, minutes, job outputs): local disk under MEDIA_ROOT by
# default; STORAGE_BACKEND=s3 for object storage (several app servers share it).
STORAGE_BACKEND = os.environ.get("STORAGE_BACKEND", "local")
if STORAGE_BACKEND == "local":
    DEFAULT_STORAGE: dict[str, Any] = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif STORAGE_BACKEND == "s3":
    DEFAULT_STORAGE = s3_storage()
else:
    raise ImproperlyConfigured(f"STORAGE_BACKEND must be local or s3, not {STORAGE_BACKEND!r}")
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Background work (emails, reminders) queues in the database; `karnameh db_worker` runs it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Mail: printed to the console unless a real backend is named (smtp: EMAIL_HOST etc.).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "karnameh@localhost")
# The site's own address, put before the links in notification emails (e.g. https://karnameh.ir).
SITE_URL = os.environ.get("SITE_URL", "")


def logging_config(log_format: str) -> dict[str, Any]:
    """``text``: the message alone, for a person at a terminal; ``json``: one JSON object a
    line with time, level, logger and the request's fields (karnameh.common.logs), for a
    log collector. Production defaults to json (prod.py)."""
    if log_format not in ("text", "json"):
        raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {log_format!r}")
    console: dict[str, Any] = {"class": "logging.StreamHandler"}
    if log_format == "json":
        console["formatter"] = "json"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "karnameh.common.logs.JsonFormatter"}},
        "handlers": {"console": console},
        "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
        "loggers": {
            "django.db.backends": {"level": "INFO"},
            # WeasyPrint logs every layout step of every PDF at INFO, and fontTools every subset.
            "weasyprint": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
            # A line per request (RequestLogMiddleware) in JSON, where it carries the user and
            # the time taken; in plain text gunicorn's access log already shows each request.
            "karnameh.request": {"level": "INFO" if log_format == "json" else "WARNING"},
        },
    }


LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
LOGGING = logging_config(LOG_FORMAT)

NINJA_PAGINATION_PER_PAGE = 50
