"""Settings for motcua, read from environment variables.

The defaults run on a laptop: SQLite and files under ``var/``. Production sets
DATABASE_URL (PostgreSQL), DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and, for
shared file storage, MOTCUA_S3_BUCKET.
"""

import os
import sys
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("MOTCUA_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "insecure-laptop-key-change-me-in-production")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_tasks_db",
    "ninja",  # its templates and static files: /api/docs loads Swagger UI from this site, not a CDN
    "motcua.core",
    "motcua.agencies",
    "motcua.calendar",
    "motcua.accounts",
    "motcua.catalog",
    "motcua.dossiers",
    "motcua.notifications",
    "motcua.portal",
    "motcua.backoffice",
    "motcua.api",
    "motcua.demo",
]

# Django's usual stack; the motcua.core.middleware classes are Django's own, which API requests
# (/api/, bearer tokens, JSON) bypass.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "motcua.core.middleware.SessionMiddleware",
    "motcua.core.middleware.LocaleMiddleware",
    "motcua.core.middleware.CommonMiddleware",
    "motcua.core.middleware.CsrfViewMiddleware",
    "motcua.core.middleware.AuthenticationMiddleware",
    "motcua.core.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "motcua.portal.context_processors.site",
            ],
        },
    },
]

# The development server serves each request on a new thread, and Django keeps one connection per
# thread for CONN_MAX_AGE: under runserver connections close after each request instead of piling up
# (30 parallel requests left ~90 idle PostgreSQL connections).
DEV_SERVER = sys.argv[1:2] == ["runserver"]
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=0 if DEV_SERVER else int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web process and the task worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_PREPARED_STATEMENTS", True
):
    # Parameters sent apart from the SQL, and a statement run 5 times on a connection prepared, so
    # that PostgreSQL parses and plans it once (docs/decisions/0004). Behind PgBouncer in transaction
    # mode, use PgBouncer 1.21 or later (max_prepared_statements) or DATABASE_PREPARED_STATEMENTS=0.
    DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# The second answers user.has_perm("dossiers.<action>", dossier) from motcua.dossiers.rules.
AUTHENTICATION_BACKENDS = [
    "motcua.accounts.backends.LockoutModelBackend",
    "rules.permissions.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if os.environ.get("PYTEST_VERSION"):
    # Tests create many accounts; a slow password hash would dominate the suite's time.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

# Login lockout: after this many consecutive failures the account is locked for a while.
MOTCUA_LOGIN_MAX_FAILURES = int(os.environ.get("MOTCUA_LOGIN_MAX_FAILURES", "5"))
MOTCUA_LOGIN_LOCKOUT_MINUTES = int(os.environ.get("MOTCUA_LOGIN_LOCKOUT_MINUTES", "15"))
MOTCUA_API_TOKEN_DAYS = int(os.environ.get("MOTCUA_API_TOKEN_DAYS", "30"))

# The province this installation serves (its code in vietnam-provinces), used by the demo and defaults.
MOTCUA_PROVINCE_CODE = os.environ.get("MOTCUA_PROVINCE_CODE", "08")
MOTCUA_SITE_NAME = os.environ.get("MOTCUA_SITE_NAME", "Cổng dịch vụ công tỉnh Tuyên Quang")

# Working calendar (motcua.calendar): working periods of a day, and the reception cut-off after
# which a dossier counts from the next working morning (Decree 61/2018).
MOTCUA_WORKING_HOURS = [("07:30", "11:30"), ("13:00", "17:00")]
MOTCUA_RECEPTION_CUTOFF = os.environ.get("MOTCUA_RECEPTION_CUTOFF", "15:00")
# How a pause (request to supplement) moves a calendar-day deadline: "remaining_days" counts the days left
# again from the day the pause ends; "whole_days" adds the pause rounded up to whole days.
MOTCUA_CALENDAR_PAUSE_RULE = os.environ.get("MOTCUA_CALENDAR_PAUSE_RULE", "remaining_days")

# Dossiers: largest upload, and the public address printed in links and QR codes (`make demo` sets
# it from HOST and PORT unless it is set).
MOTCUA_UPLOAD_MAX_BYTES = int(os.environ.get("MOTCUA_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
MOTCUA_PUBLIC_URL = os.environ.get("MOTCUA_PUBLIC_URL") or "http://127.0.0.1:8000"

# Catalogue search: minimum strict word similarity (pg_trgm semantics) for a procedure to match.
MOTCUA_SEARCH_THRESHOLD = float(os.environ.get("MOTCUA_SEARCH_THRESHOLD", "0.5"))

# Agencies, administrative units and the current version of each procedure, kept this many seconds
# in each process (motcua.core.refcache); a change made in the same process applies at once. 0: off.
MOTCUA_REFERENCE_CACHE_SECONDS = int(os.environ.get("MOTCUA_REFERENCE_CACHE_SECONDS", "60"))

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "motcua" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Uploads live outside the web root. No URL serves MEDIA_URL: files go out through views that check
# access. (Django's test live server needs the setting to be a path.)
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/private-media/"

STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if os.environ.get("MOTCUA_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["MOTCUA_S3_BUCKET"],
            "endpoint_url": os.environ.get("MOTCUA_S3_ENDPOINT_URL"),
            "default_acl": "private",
            "querystring_auth": True,
        },
    }

# Tasks run in the database worker (`manage.py db_worker`); under pytest (which sets PYTEST_VERSION)
# they run at once, when their transaction commits.
_DEFAULT_TASKS_BACKEND = (
    "django.tasks.backends.immediate.ImmediateBackend"
    if os.environ.get("PYTEST_VERSION")
    else "django_tasks_db.DatabaseBackend"
)
TASKS = {"default": {"BACKEND": os.environ.get("MOTCUA_TASKS_BACKEND", _DEFAULT_TASKS_BACKEND)}}

# Dossier events (emails...) go through an outbox table that `manage.py relay_events` delivers
# (motcua.dossiers.events); under pytest they are delivered in the process right after the commit.
MOTCUA_EVENT_DELIVERY = os.environ.get(
    "MOTCUA_EVENT_DELIVERY", "on_commit" if os.environ.get("PYTEST_VERSION") else "outbox"
)
if MOTCUA_EVENT_DELIVERY not in ("outbox", "on_commit"):
    raise ImproperlyConfigured("MOTCUA_EVENT_DELIVERY must be 'outbox' or 'on_commit'.")

MAILERS = {
    "default": {
        "BACKEND": os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"),
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "motcua@localhost")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("MOTCUA_LOG_LEVEL", "INFO")},
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
