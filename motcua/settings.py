"""Settings for motcua, read from environment variables.

The defaults run on a laptop: SQLite and files under ``var/``. DEBUG is off unless DJANGO_DEBUG turns
it on (``make`` does, and so do the tests); with DEBUG off the site refuses to start without
DJANGO_SECRET_KEY, and runs with the production protections (HTTPS only, HSTS, secure cookies): the
checks at the end of this file. Production sets DATABASE_URL (PostgreSQL), DJANGO_SECRET_KEY,
DJANGO_ALLOWED_HOSTS and, for shared file storage, MOTCUA_S3_BUCKET (SECURITY.md lists the rest).
"""

import datetime
import os
import sys
import urllib.parse
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("MOTCUA_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Off unless asked for: a forgotten variable must not leave a public site in debug mode. Tests run with
# it on (pytest-django still turns DEBUG off while they run), as do `make demo`, `make test`.
DEBUG = env_bool("DJANGO_DEBUG", bool(os.environ.get("PYTEST_VERSION")))
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random value (python -c 'import secrets; "
            "print(secrets.token_urlsafe(50))'), or set DJANGO_DEBUG=1 on a development machine."
        )
    SECRET_KEY = "insecure-laptop-key-for-development-only"
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
    "axes",
    "ninja",  # its templates and static files: /api/docs loads Swagger UI from this site, not a CDN
    "motcua.core",
    "motcua.agencies",
    "motcua.calendar",
    "motcua.accounts",
    "motcua.catalog",
    "motcua.dossiers",
    "motcua.payments",
    "motcua.signing",
    "motcua.surveys",
    "motcua.documents",
    "motcua.exchange",
    "motcua.notifications",
    "motcua.reports",
    "motcua.integrations",
    "motcua.portal",
    "motcua.backoffice",
    "motcua.api",
    "motcua.demo",
]

# Django's usual stack; the motcua.core.middleware classes are Django's own, which API requests
# (/api/, bearer tokens, JSON) bypass.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "motcua.core.middleware.SessionMiddleware",
    "motcua.core.middleware.LocaleMiddleware",
    # After the locale (its messages follow the page's language), before anything reads the input.
    "motcua.core.middleware.RefuseHostileInput",
    # Idempotency-Key on the API's creating POSTs: around the view, in one transaction with it.
    "motcua.api.idempotency.IdempotencyMiddleware",
    "motcua.core.middleware.CommonMiddleware",
    "motcua.core.middleware.CsrfViewMiddleware",
    "motcua.core.middleware.AuthenticationMiddleware",
    "motcua.core.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Required by django-axes; the login views answer a throttled attempt themselves (accounts.throttle).
    "axes.middleware.AxesMiddleware",
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
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "motcua.portal.context_processors.site",
                "motcua.notifications.context_processors.inbox",
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
# The first refuses a login attempt while its client address or account must wait (accounts.throttle,
# on django-axes' records); the second checks the password; the third answers
# user.has_perm("dossiers.<action>", dossier) from motcua.dossiers.rules.
AUTHENTICATION_BACKENDS = [
    "motcua.accounts.backends.ThrottleBackend",
    "motcua.accounts.backends.IdentifierModelBackend",
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

# Login throttling (motcua.accounts.throttle), on every login path: the site, the admin, the API token.
# Failures are counted per client address and per account (by django-axes) for a day after the last
# one. Past the free failures each further attempt waits: the first delay, doubled at each failure, up
# to the longest. An account's failures from addresses that never logged into it do not delay logins
# from those that did, so a stranger cannot lock its owner out.
MOTCUA_LOGIN_FREE_FAILURES_PER_ACCOUNT = int(os.environ.get("MOTCUA_LOGIN_FREE_FAILURES_PER_ACCOUNT", "5"))
MOTCUA_LOGIN_FREE_FAILURES_PER_ADDRESS = int(os.environ.get("MOTCUA_LOGIN_FREE_FAILURES_PER_ADDRESS", "20"))
MOTCUA_LOGIN_FIRST_DELAY_SECONDS = int(os.environ.get("MOTCUA_LOGIN_FIRST_DELAY_SECONDS", "30"))
MOTCUA_LOGIN_LONGEST_DELAY_SECONDS = int(os.environ.get("MOTCUA_LOGIN_LONGEST_DELAY_SECONDS", "3600"))
AXES_COOLOFF_TIME = datetime.timedelta(hours=24)  # how long failures are remembered
AXES_LOCK_OUT_AT_FAILURE = False  # accounts.throttle decides, with growing delays
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # what a success forgets
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # a refused attempt is not a new failure
AXES_USERNAME_CALLABLE = "motcua.accounts.throttle.account_key"
AXES_CLIENT_IP_CALLABLE = "motcua.core.http.client_address"
AXES_LOCKOUT_CALLABLE = "motcua.accounts.throttle.lockout_response"
AXES_SENSITIVE_PARAMETERS = ["password"]
AXES_VERBOSE = False
# Reverse proxies in front of the site that append the client's address to X-Forwarded-For (0: none,
# REMOTE_ADDR is the client). Used by login throttling and the rate limits.
MOTCUA_TRUSTED_PROXIES = int(os.environ.get("MOTCUA_TRUSTED_PROXIES", "0"))

# API bearer tokens: lifetime in days. They end with a password change, a deactivation, or DELETE.
MOTCUA_API_TOKEN_DAYS = int(os.environ.get("MOTCUA_API_TOKEN_DAYS", "30"))
# Machine clients of the API (motcua.accounts.clients): the lifetime of a token from
# POST /api/auth/client-token, how long a rotated secret still works, failed exchanges per address.
MOTCUA_CLIENT_TOKEN_MINUTES = int(os.environ.get("MOTCUA_CLIENT_TOKEN_MINUTES", "15"))
MOTCUA_CLIENT_ROTATION_GRACE_HOURS = int(os.environ.get("MOTCUA_CLIENT_ROTATION_GRACE_HOURS", "24"))
MOTCUA_CLIENT_TOKEN_FAILURE_RATE = os.environ.get("MOTCUA_CLIENT_TOKEN_FAILURE_RATE", "20/h")
# Personal-data access log rows older than this many days go with `manage.py prune_access_log`.
MOTCUA_ACCESS_LOG_DAYS = int(os.environ.get("MOTCUA_ACCESS_LOG_DAYS", "1825"))
# How long an Idempotency-Key's first answer is replayed (motcua.api.idempotency).
MOTCUA_IDEMPOTENCY_HOURS = int(os.environ.get("MOTCUA_IDEMPOTENCY_HOURS", "24"))

# Rate limits per client address (motcua.core.ratelimit), "<count>/<s|m|h|d>"; "" turns one off.
MOTCUA_LOOKUP_RATE = os.environ.get("MOTCUA_LOOKUP_RATE", "60/h")  # public dossier lookup, page and API
MOTCUA_REGISTER_RATE = os.environ.get("MOTCUA_REGISTER_RATE", "10/h")  # account registrations
MOTCUA_VERIFY_RATE = os.environ.get("MOTCUA_VERIFY_RATE", "120/h")  # document verifications, page and API
# The satisfaction kiosk (/danh-gia/, motcua.surveys): its forms per client address (a counter's tablet
# sends every walk-in's rating), and the tries of one dossier code with its second fact, from anywhere.
MOTCUA_RATING_RATE = os.environ.get("MOTCUA_RATING_RATE", "240/h")
MOTCUA_RATING_PROOF_RATE = os.environ.get("MOTCUA_RATING_PROOF_RATE", "10/d")
# Days during which an applicant may change the satisfaction rating given (then it is read only).
MOTCUA_RATING_EDIT_DAYS = int(os.environ.get("MOTCUA_RATING_EDIT_DAYS", "7"))

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

# Dossiers: largest upload, how many files and how many bytes one dossier may hold (applicants' papers
# and counter scans; notices and results do not count), and the public address printed in links and QR
# codes (`make demo` sets it from HOST and PORT unless it is set).
MOTCUA_UPLOAD_MAX_BYTES = int(os.environ.get("MOTCUA_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
MOTCUA_DOSSIER_MAX_FILES = int(os.environ.get("MOTCUA_DOSSIER_MAX_FILES", "30"))
MOTCUA_DOSSIER_MAX_BYTES = int(os.environ.get("MOTCUA_DOSSIER_MAX_BYTES", str(100 * 1024 * 1024)))
MOTCUA_PUBLIC_URL = os.environ.get("MOTCUA_PUBLIC_URL") or "http://127.0.0.1:8000"

# Digital signatures (motcua.signing). When enabled, issued documents are signed (PAdES, SHA-256): results
# by the approving leader, notices 01-05 by the agency; a result is returned only once signed. Off under
# pytest unless a test turns it on. `make demo` creates a test CA, certificates and a time-stamp authority
# under MOTCUA_SIGNING_DIR (manage.py signing_demo_ca) and starts the TSA and the remote-signer stand-in.
MOTCUA_SIGNING_ENABLED = env_bool("MOTCUA_SIGNING_ENABLED", not os.environ.get("PYTEST_VERSION"))
MOTCUA_SIGNING_DIR = Path(os.environ.get("MOTCUA_SIGNING_DIR", VAR_DIR / "signing"))
# PEM files of the roots a signature must chain to for the verification page to call it trusted.
MOTCUA_SIGNING_TRUST_ROOTS = env_list(
    "MOTCUA_SIGNING_TRUST_ROOTS", str(MOTCUA_SIGNING_DIR / "ca" / "root.pem")
)
# RFC 3161 time-stamp authority (signatures B-T); empty: no time-stamp (B-B).
MOTCUA_SIGNING_TSA_URL = os.environ.get("MOTCUA_SIGNING_TSA_URL", "http://127.0.0.1:8790/")
# Encrypts the private keys kept in the database (any long random string); without it, a key derived from
# DJANGO_SECRET_KEY (then rotating that key locks the stored keys away).
MOTCUA_SIGNING_KEY = os.environ.get("MOTCUA_SIGNING_KEY", "")
# The remote-signing service (VNPT SmartCA's shape; `make demo` starts a stand-in) and our account there.
MOTCUA_SIGNING_REMOTE_URL = os.environ.get("MOTCUA_SIGNING_REMOTE_URL", "http://127.0.0.1:8791")
MOTCUA_SIGNING_REMOTE_SP_ID = os.environ.get("MOTCUA_SIGNING_REMOTE_SP_ID", "motcua-demo")
MOTCUA_SIGNING_REMOTE_SP_PASSWORD = os.environ.get("MOTCUA_SIGNING_REMOTE_SP_PASSWORD", "motcua-demo")
# How often the task worker asks the remote service whether the signer confirmed.
MOTCUA_SIGNING_REMOTE_POLL_SECONDS = int(os.environ.get("MOTCUA_SIGNING_REMOTE_POLL_SECONDS", "5"))

# Catalogue search: minimum strict word similarity (pg_trgm semantics) for a procedure to match.
MOTCUA_SEARCH_THRESHOLD = float(os.environ.get("MOTCUA_SEARCH_THRESHOLD", "0.5"))

# Agencies, administrative units and the current version of each procedure, kept this many seconds
# in each process (motcua.core.refcache); a change made in the same process applies at once. 0: off.
MOTCUA_REFERENCE_CACHE_SECONDS = int(os.environ.get("MOTCUA_REFERENCE_CACHE_SECONDS", "60"))

# Online payment (motcua.payments): the gateways offered, in this order, and how to reach each. The
# defaults are the local stand-ins `make demo` starts (`manage.py payment_standin`); with DEBUG on they
# share demo secrets with the site. With DEBUG off a gateway without its secret is not offered, and the
# deploy check warns about a demo secret set on purpose.
MOTCUA_PAYMENT_GATEWAYS = env_list("MOTCUA_PAYMENT_GATEWAYS", "national,vnpay")
MOTCUA_PAYMENT_TIMEOUT_SECONDS = float(os.environ.get("MOTCUA_PAYMENT_TIMEOUT_SECONDS", "10"))
MOTCUA_NATIONAL_PAYMENT_URL = os.environ.get("MOTCUA_NATIONAL_PAYMENT_URL", "http://127.0.0.1:8101")
MOTCUA_NATIONAL_PAYMENT_PARTNER = os.environ.get("MOTCUA_NATIONAL_PAYMENT_PARTNER", "MOTCUA08")
MOTCUA_NATIONAL_PAYMENT_SECRET = os.environ.get(
    "MOTCUA_NATIONAL_PAYMENT_SECRET", "demo-national-secret" if DEBUG else ""
)
MOTCUA_NATIONAL_PAYMENT_ACCOUNT = os.environ.get("MOTCUA_NATIONAL_PAYMENT_ACCOUNT", "3511.0.1057489")
MOTCUA_NATIONAL_PAYMENT_BANK = os.environ.get("MOTCUA_NATIONAL_PAYMENT_BANK", "01201001")
MOTCUA_VNPAY_URL = os.environ.get("MOTCUA_VNPAY_URL", "http://127.0.0.1:8102")
MOTCUA_VNPAY_TMN_CODE = os.environ.get("MOTCUA_VNPAY_TMN_CODE", "MOTCUA01")
MOTCUA_VNPAY_SECRET = os.environ.get("MOTCUA_VNPAY_SECRET", "demo-vnpay-secret" if DEBUG else "")


# National identity login (motcua.accounts.identity): the OpenID Connect providers offered on the login
# page, in this order, and how to reach each. The default is the VNeID-style stand-in `make demo` starts
# (`manage.py identity_standin`, IDENTITY_PORT 8795); with DEBUG on it shares a demo secret with the
# site. With DEBUG off a provider without its client secret is not offered.
MOTCUA_IDENTITY_PROVIDERS = [
    key
    for key in env_list("MOTCUA_IDENTITY_PROVIDERS", "vneid")
    if os.environ.get(f"MOTCUA_{key.upper()}_CLIENT_SECRET") or DEBUG
]
MOTCUA_VNEID_ISSUER = os.environ.get("MOTCUA_VNEID_ISSUER", "http://127.0.0.1:8795")
MOTCUA_VNEID_CLIENT_ID = os.environ.get("MOTCUA_VNEID_CLIENT_ID", "motcua-demo")
MOTCUA_VNEID_CLIENT_SECRET = os.environ.get(
    "MOTCUA_VNEID_CLIENT_SECRET", "demo-vneid-secret" if DEBUG else ""
)
MOTCUA_IDENTITY_TIMEOUT_SECONDS = float(os.environ.get("MOTCUA_IDENTITY_TIMEOUT_SECONDS", "10"))
# The provider's discovery document is kept this many seconds in each process.
MOTCUA_IDENTITY_DISCOVERY_SECONDS = int(os.environ.get("MOTCUA_IDENTITY_DISCOVERY_SECONDS", "300"))

# Notifications (motcua.notifications): SMS through a plugin (a dotted path; blank: no SMS). The
# default is the brandname gateway's shape, at the local stand-in `make demo` starts
# (`manage.py sms_standin`, SMS_PORT 8792); under pytest SMS is off unless a test starts the stand-in.
MOTCUA_SMS_BACKEND = os.environ.get(
    "MOTCUA_SMS_BACKEND", "motcua.notifications.sms.brandname.BrandnameSender"
)
MOTCUA_SMS_URL = os.environ.get(
    "MOTCUA_SMS_URL", "" if os.environ.get("PYTEST_VERSION") else "http://127.0.0.1:8792"
)
MOTCUA_SMS_BRANDNAME = os.environ.get("MOTCUA_SMS_BRANDNAME", "DVC-TQ")
MOTCUA_SMS_USERNAME = os.environ.get("MOTCUA_SMS_USERNAME", "motcua-demo")
MOTCUA_SMS_PASSWORD = os.environ.get("MOTCUA_SMS_PASSWORD", "motcua-demo" if DEBUG else "")
MOTCUA_SMS_TIMEOUT_SECONDS = float(os.environ.get("MOTCUA_SMS_TIMEOUT_SECONDS", "10"))
# An SMS is cut to this many characters (two 160-character parts), without diacritics unless off.
MOTCUA_SMS_MAX_CHARS = int(os.environ.get("MOTCUA_SMS_MAX_CHARS", "320"))
MOTCUA_SMS_UNACCENTED = env_bool("MOTCUA_SMS_UNACCENTED", True)
# A message that fails is tried again after these waits (minutes); after the last it is given up.
MOTCUA_NOTIFY_RETRY_MINUTES = [int(m) for m in env_list("MOTCUA_NOTIFY_RETRY_MINUTES", "1,5,30,120,720")]
# Officers' "about to be overdue" messages (`manage.py notify_due_soon`): dossiers due within this.
MOTCUA_NOTIFY_DUE_SOON_HOURS = int(os.environ.get("MOTCUA_NOTIFY_DUE_SOON_HOURS", "24"))

# Electronic document exchange between agencies (motcua.exchange, edXML QCVN 102:2016). Peers are
# configured in the admin; the national backbone's address and this system's credentials on it here
# (``manage.py exchange_standin`` is its stand-in: port 8793 in ``make demo``).
MOTCUA_EXCHANGE_BACKBONE_URL = os.environ.get("MOTCUA_EXCHANGE_BACKBONE_URL", "")
MOTCUA_EXCHANGE_BACKBONE_SYSTEM_ID = os.environ.get("MOTCUA_EXCHANGE_BACKBONE_SYSTEM_ID", "motcua")
MOTCUA_EXCHANGE_BACKBONE_SECRET = os.environ.get(
    "MOTCUA_EXCHANGE_BACKBONE_SECRET", "motcua-demo" if DEBUG else ""
)
MOTCUA_EXCHANGE_TIMEOUT_SECONDS = float(os.environ.get("MOTCUA_EXCHANGE_TIMEOUT_SECONDS", "30"))
# A package that does not get through is tried again after these waits (minutes), then given up.
MOTCUA_EXCHANGE_RETRY_MINUTES = [
    int(m) for m in env_list("MOTCUA_EXCHANGE_RETRY_MINUTES", "1,5,15,60,240,720,1440")
]
# The national public-service portal (DVCQG) through its provincial adapter (motcua.integrations.national):
# dossiers sync out when the address is set; ``make demo`` points it at the stand-in (manage.py
# national_standin). Nothing here points at a government host.
MOTCUA_NATIONAL_PORTAL_URL = os.environ.get("MOTCUA_NATIONAL_PORTAL_URL", "")
# Paths of the adapter's login and integration endpoints under that address.
MOTCUA_NATIONAL_PORTAL_AUTH_PATH = os.environ.get("MOTCUA_NATIONAL_PORTAL_AUTH_PATH", "/auth")
MOTCUA_NATIONAL_PORTAL_INTEGRATION_PATH = os.environ.get(
    "MOTCUA_NATIONAL_PORTAL_INTEGRATION_PATH", "/integration"
)
MOTCUA_NATIONAL_PORTAL_USERNAME = os.environ.get("MOTCUA_NATIONAL_PORTAL_USERNAME", "motcua-demo")
MOTCUA_NATIONAL_PORTAL_PASSWORD = os.environ.get(
    "MOTCUA_NATIONAL_PORTAL_PASSWORD", "motcua-demo" if DEBUG else ""
)
# The province's unit code at the national portal (madonvi).
MOTCUA_NATIONAL_PORTAL_MADONVI = os.environ.get("MOTCUA_NATIONAL_PORTAL_MADONVI", "000.00.00.H99")
MOTCUA_NATIONAL_PORTAL_TIMEOUT_SECONDS = float(os.environ.get("MOTCUA_NATIONAL_PORTAL_TIMEOUT_SECONDS", "10"))
# Waits between failed syncs of a dossier, in minutes; after the last, every last wait (never given up:
# the 766 index counts every dossier synced).
MOTCUA_NATIONAL_RETRY_MINUTES = [int(m) for m in env_list("MOTCUA_NATIONAL_RETRY_MINUTES", "1,5,30,120,720")]
# How long a sync may hold its claim on a dossier while it calls the portal (no row lock is held then);
# past it the claimer is taken for dead (docs/decisions/0013).
MOTCUA_NATIONAL_CLAIM_SECONDS = float(os.environ.get("MOTCUA_NATIONAL_CLAIM_SECONDS", "300"))


def _origin(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


# Where the pay button's form may lead: the browser follows our redirect to the gateway's page, which
# the Content-Security-Policy's form-action must allow (below).
PAYMENT_FORM_TARGETS = sorted(
    {
        origin
        for name, url, secret in (
            ("national", MOTCUA_NATIONAL_PAYMENT_URL, MOTCUA_NATIONAL_PAYMENT_SECRET),
            ("vnpay", MOTCUA_VNPAY_URL, MOTCUA_VNPAY_SECRET),
        )
        if name in MOTCUA_PAYMENT_GATEWAYS and secret and (origin := _origin(url))
    }
)

# Logging out (a form) leads to the identity provider's logout page when the person logged in there.
IDENTITY_FORM_TARGETS = sorted(
    {origin for url in [MOTCUA_VNEID_ISSUER] if MOTCUA_IDENTITY_PROVIDERS and (origin := _origin(url))}
)

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "motcua" / "locale"]
# Dates read dd/mm/yyyy in both languages (motcua/formats/<language>/formats.py).
FORMAT_MODULE_PATH = ["motcua.formats"]
# The same when no language is active (commands, tasks).
DATE_FORMAT = SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = SHORT_DATETIME_FORMAT = "H:i d/m/Y"
TIME_FORMAT = "H:i"
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
        # Development prints emails; production sends them by SMTP (EMAIL_HOST, EMAIL_PORT... from Django).
        "BACKEND": os.environ.get(
            "DJANGO_EMAIL_BACKEND",
            "django.core.mail.backends.console.EmailBackend"
            if DEBUG
            else "django.core.mail.backends.smtp.EmailBackend",
        ),
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "motcua@localhost")

# HTTPS and browser protections. With DEBUG off they are on unless turned off one by one; behind a
# reverse proxy that terminates TLS, set DJANGO_PROXY_SSL_HEADER to the header it sets (e.g.
# X-Forwarded-Proto) so that Django knows the request came over HTTPS. Never set it without such a proxy:
# a client could then claim HTTPS.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
if os.environ.get("DJANGO_PROXY_SSL_HEADER"):
    _header = os.environ["DJANGO_PROXY_SSL_HEADER"].strip().upper().replace("-", "_")
    SECURE_PROXY_SSL_HEADER = (f"HTTP_{_header}", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
# Django's W003 looks for CsrfViewMiddleware by name; ours is a subclass (motcua.core.checks checks it).
SILENCED_SYSTEM_CHECKS = ["security.W003"]
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy on every answer: scripts, styles and images from the site only, no inline
# script or style attribute (a template needing an inline script gives it {% csp_nonce_attr %}).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF, *PAYMENT_FORM_TARGETS, *IDENTITY_FORM_TARGETS],
    "frame-ancestors": [CSP.NONE],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("MOTCUA_LOG_LEVEL", "INFO")},
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
