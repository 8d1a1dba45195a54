"""Settings, read from environment variables only (see .env.example for the full list).

The embedded default (no variables set) is a development instance on SQLite with eager Celery.
With DEBUG=False the instance is in production mode: it refuses to start without SECRET_KEY and
turns on the transport and cookie protections `danvan check --deploy` asks for.
"""

import ipaddress
import os
import re
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def env(name: str, default: str = "") -> str:
    """A variable's value; `NAME_FILE` (a path to a file holding the value) wins, for secrets."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def envbool(name: str, default: str) -> bool:
    value = env(name, default)
    if value not in ("True", "False"):
        raise ImproperlyConfigured(f"{name} must be True or False, not {value!r}")
    return value == "True"


def envint(name: str, default: str) -> int:
    value = env(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "True")
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG=False (production mode).")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"

# Keys of the submitters' identities (danvan/voice/identity/crypto.py): Fernet keys, the first encrypts.
IDENTITY_KEYS = envlist("IDENTITY_KEYS", "")
if not IDENTITY_KEYS and not DEBUG:
    raise ImproperlyConfigured("IDENTITY_KEYS must be set when DEBUG=False (production mode).")

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "danvan.core",
    "danvan.audit",
    "danvan.accounts",
    "danvan.search",
    "danvan.orgs",
    "danvan.reminders",
    "danvan.jobs",
    "danvan.administration",
    "danvan.reports",
    "danvan.voice",
    "danvan.reception",
    "danvan.directives",
    "danvan.programmes",
    "danvan.activities",
    "danvan.activities.workplace",
    "danvan.activities.boards",
    "danvan.activities.training",
    "danvan.activities.dialogues",
    "danvan.activities.mediation",
    "danvan.activities.inspections",
    "danvan.activities.cells",
    "danvan.emulation",
    "danvan.emulation.quizzes",
    "danvan.emulation.commendations",
    "danvan.emulation.exemplars",
    "danvan.emulation.evaluations",
    "danvan.reviews",
    "danvan.demo",
]

MIDDLEWARE = [
    "danvan.core.middleware.HealthCheckMiddleware",  # before the HTTPS redirect and the host check
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "danvan.core.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "danvan.audit.middleware.AuditContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

# --- Browser security headers: Content-Security-Policy (django-csp) and Permissions-Policy -------------
# Right after SecurityMiddleware, so redirects and refusals made by later middleware carry them too.
# No inline script, no inline style, no eval: every script and style is a static file. A response that
# sets its own policy keeps it (downloads: core.downloads; the API docs page: danvan/urls.py).
MIDDLEWARE[MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1 : 0] = [
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Features no page uses, refused to the page and to anything it might embed.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "bluetooth", "camera", "display-capture", "geolocation", "gyroscope",
        "hid", "idle-detection", "magnetometer", "microphone", "midi", "payment", "publickey-credentials-get",
        "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
    )
}  # fmt: skip
# --- end of browser security headers ------------------------------------------------------------------

ROOT_URLCONF = "danvan.urls"
WSGI_APPLICATION = "danvan.wsgi.application"

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
                "danvan.core.context_processors.navigation",
            ],
        },
    }
]

DATA_DIR = Path(env("DATA_DIR", str(PROJECT_DIR / "var")))
DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'danvan.sqlite3'}"),
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", "0"),
        # A kept connection is checked before each request reuses it: after a database restart the first
        # request opens a new one instead of failing (the others answer 503: danvan.core.views.server_error).
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server and a background worker read while one writes. A transaction takes the write
    # lock when it begins (IMMEDIATE), where a busy writer is waited for (timeout): one that began by reading
    # and then wrote would fail at once ("database is locked", a 500) if another wrote meanwhile.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
# A read replica (PostgreSQL streaming replication) for dashboards and exports at national scale: reads
# wrapped in danvan.core.replica.reading() go there, everything else to the primary (docs/PERFORMANCE.md).
if env("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        env("DATABASE_REPLICA_URL"),
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", "0"),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["danvan.core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---- Shared cache (issue 17, several app servers) ----
# One cache every process sees (calendar, settings, menu counts, rate limits, portal nonces): Redis when
# REDIS_URL is set, else the database cache in the default database (danvan/core/cache.py: its table
# `danvan_cache` is made by core's migration; its `incr` is atomic, as django-ratelimit needs).
# With Redis, FailoverCache serves from that database cache while Redis is stopped or hung (its short
# socket timeouts, in seconds, are redis-py's options below), and goes back to Redis a few seconds later.
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "danvan.core.cache.FailoverCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "danvan.core.cache.DatabaseCache",
            "LOCATION": "danvan_cache",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }
# ---- end of shared cache ----

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = envbool("CELERY_TASK_ALWAYS_EAGER", "False" if REDIS_URL else "True")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
# Background jobs (danvan.jobs): exports and imports above this many rows run as a job with a progress
# page; a running job beats every JOBS_HEARTBEAT_SECONDS and is taken for dead (marked failed) when
# silent for JOBS_STALE_SECONDS, or still waiting JOBS_WAITING_SECONDS after it was created.
JOBS_BACKGROUND_ROWS = envint("JOBS_BACKGROUND_ROWS", "2000")
JOBS_PROGRESS_SECONDS = 1  # progress is written at most once per second (and every 500 rows at most)
JOBS_HEARTBEAT_SECONDS = 60
JOBS_STALE_SECONDS = 10 * 60
JOBS_WAITING_SECONDS = 30 * 60
JOBS_KEEP_DAYS = 7  # a finished job's file is removed after this many days (the row stays)
# ---- Celery tasks (issue 17): the schedule is declared once, in danvan/core/schedule.py (beat and
# `danvan run-daily`); each task's time limits and retries in danvan/core/background.py. ----
CELERY_TASK_REJECT_ON_WORKER_LOST = False  # acks_late tasks are re-run only when they return to the queue
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # with acks_late, a worker holds one task at a time
# Redis hands an unacknowledged task to another worker after the visibility timeout (1 h by default): longer
# than the longest acks_late task's hard limit (2 h + grace), or a long roll-up rebuild would run twice at once.
# Redis stopped or hung (issue 17): a web request's `.delay` gives up within about two seconds, raising
# kombu's OperationalError (danvan.jobs.services keeps the job waiting; a sweep sends it again).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 4 * 60 * 60,
    "socket_connect_timeout": 0.5,
    "socket_timeout": 1,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
# ---- end of Celery tasks ----

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", "30") / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", str(8 * 60 * 60))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "danvan.core.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "True")
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "False")
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SILENCED_SYSTEM_CHECKS = envlist("SILENCED_SYSTEM_CHECKS", "")
if not DEBUG and not envbool("SECURE_HSTS_PRELOAD", "False"):
    SILENCED_SYSTEM_CHECKS.append("security.W021")  # HSTS preload is a deliberate, separate decision

# --- Behind a reverse proxy (deploy/, danvan/core/clients.py) ------------------------------------------
# The client's address for rate limits, axes and the audit log. Default: no proxy is trusted, the address is
# the connection's peer (REMOTE_ADDR) and X-Forwarded-For is ignored. TRUSTED_PROXY_COUNT: how many reverse
# proxies in front append to X-Forwarded-For (nginx alone: 1); TRUSTED_PROXIES: their addresses or networks
# (optional; when set, the header is believed only from them; a Unix socket is always local, so trusted).
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", "0")
TRUSTED_PROXIES = envlist("TRUSTED_PROXIES", "")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES lists addresses or networks (10.0.0.5, 10.0.0.0/24), not {_proxy!r}"
        ) from None
RATELIMIT_IP_META_KEY = "danvan.core.clients.ratelimit_ip"
AXES_CLIENT_IP_CALLABLE = "danvan.core.clients.client_ip"
# The load balancer's probe is answered over plain HTTP, whatever the host (core.middleware).
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# --- end of reverse proxy ------------------------------------------------------------------------------

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", "25")
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "False")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "DânVận <no-reply@danvan.local>")

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["danvan.formats"]
USE_I18N = True
USE_THOUSAND_SEPARATOR = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # also the largest JSON body (core.jsonbody)
JSON_MAX_DEPTH = 32  # a JSON body nested deeper answers 400 (core.jsonbody), never a RecursionError
UNIT_IMPORT_MAX_BYTES = envint("UNIT_IMPORT_MAX_BYTES", str(20 * 1024 * 1024))

# Parallel workers per query of a full roll-up rebuild (PostgreSQL). The leader process works too, so 1
# uses two cores; more workers than the database server has spare cores slow the rebuild down.
ROLLUP_PARALLEL_WORKERS = envint("ROLLUP_PARALLEL_WORKERS", "1")

# Public portal (danvan/voice/portal/, cases/attachments.py): files per submission and abuse protection.
# Rates are django-ratelimit's ("5/10m": 5 per 10 minutes), per client IP address.
VOICE_MAX_ATTACHMENT_MB = envint("VOICE_MAX_ATTACHMENT_MB", "10")
VOICE_MAX_ATTACHMENTS = envint("VOICE_MAX_ATTACHMENTS", "5")
VOICE_MAX_SUBMISSION_MB = envint("VOICE_MAX_SUBMISSION_MB", "25")
VOICE_PORTAL_SUBMIT_RATES = envlist("VOICE_PORTAL_SUBMIT_RATES", "5/10m,30/d")
VOICE_PORTAL_ATTEMPT_RATE = env("VOICE_PORTAL_ATTEMPT_RATE", "30/10m")
VOICE_PORTAL_LOOKUP_RATE = env("VOICE_PORTAL_LOOKUP_RATE", "20/10m")
VOICE_PORTAL_DAILY_PER_CONTACT = envint("VOICE_PORTAL_DAILY_PER_CONTACT", "3")
VOICE_PORTAL_MIN_SECONDS = envint("VOICE_PORTAL_MIN_SECONDS", "3")
for _rate in (*VOICE_PORTAL_SUBMIT_RATES, VOICE_PORTAL_ATTEMPT_RATE, VOICE_PORTAL_LOOKUP_RATE):
    if not re.fullmatch(r"[0-9]+/[0-9]*[smhd]", _rate):
        raise ImproperlyConfigured(f"VOICE_PORTAL_* rates look like 5/10m or 30/d, not {_rate!r}")

# Open311 GeoReport v2 (danvan/voice/portal/open311.py): requests per client IP address (django-ratelimit);
# submissions also count against the portal's allowances (VOICE_PORTAL_SUBMIT_RATES …).
OPEN311_RATE = env("OPEN311_RATE", "120/m")
if not re.fullmatch(r"[0-9]+/[0-9]*[smhd]", OPEN311_RATE):
    raise ImproperlyConfigured(f"OPEN311_RATE looks like 120/m or 500/h, not {OPEN311_RATE!r}")

REST_FRAMEWORK = {
    # Token first: an unauthenticated request then gets 401 with `WWW-Authenticate: Token`.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "danvan.accounts.authentication.ApiTokenAuthentication",  # hashed, expiring tokens (below)
        "danvan.core.api_defaults.SessionAuthentication",  # DRF's, with a Vietnamese CSRF message
    ],
    "EXCEPTION_HANDLER": "danvan.core.api.exception_handler",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "danvan.core.api.AutoSchema",  # with the error statuses of each operation
    "DEFAULT_METADATA_CLASS": "danvan.core.api_defaults.Metadata",  # OPTIONS
    "DEFAULT_PAGINATION_CLASS": "danvan.core.api_defaults.Pagination",  # ?limit= (at most 1000) and ?offset=
    # JSON within DATA_UPLOAD_MAX_MEMORY_SIZE and JSON_MAX_DEPTH (core.jsonbody), then forms and files
    "DEFAULT_PARSER_CLASSES": [
        "danvan.core.api_defaults.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 100,
    "DATE_FORMAT": "iso-8601",
    "DATE_INPUT_FORMATS": ["iso-8601", "%d/%m/%Y"],
}
# --- API throttles (DRF; the classes are in danvan/core/api_defaults.py) ------------------------------------
# Requests per scope, read on each request (a load test raises them through the environment): `anon` per
# client address, `user` per signed-in user (any authentication), `token` per user for requests
# authenticated by an API token (scripts), `parse` per user for reading a document (directives
# documents/parse/: CPU-heavy). A throttled request answers 429 in Vietnamese with Retry-After.
API_THROTTLE_RATES = {
    "anon": env("API_THROTTLE_ANON", "60/m"),
    "user": env("API_THROTTLE_USER", "600/m"),
    "token": env("API_THROTTLE_TOKEN", "300/m"),
    "parse": env("API_THROTTLE_PARSE", "10/m"),
}
for _scope, _rate in API_THROTTLE_RATES.items():
    if not re.fullmatch(r"[1-9][0-9]*/[smhd]", _rate):
        raise ImproperlyConfigured(f"API_THROTTLE_{_scope.upper()} looks like 600/m or 5000/h, not {_rate!r}")
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = [
    "danvan.core.api_defaults.AnonThrottle",
    "danvan.core.api_defaults.UserThrottle",
    "danvan.core.api_defaults.TokenThrottle",
    "danvan.core.api_defaults.ScopedThrottle",
]
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = API_THROTTLE_RATES
# --- end of API throttles ------------------------------------------------------------------------------

SPECTACULAR_SETTINGS = {
    "TITLE": "DânVận API",
    "DESCRIPTION": "REST API của nền tảng DânVận. Mọi truy vấn chỉ trả về dữ liệu thuộc phạm vi quyền của người dùng.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # voice: one name per choice set (a case's kind is also a deadline rule's procedure)
    "ENUM_NAME_OVERRIDES": {
        "CaseKindEnum": "danvan.voice.cases.models.Kind",
        "CaseStateEnum": "danvan.voice.cases.models.State",
        "CaseLinkKindEnum": "danvan.voice.cases.models.CaseLink.Kind",
        "DialogueIssueStateEnum": "danvan.activities.dialogues.models.IssueState",
        "DialogueFormatEnum": "danvan.activities.dialogues.models.Format",
        "DialogueAudienceEnum": "danvan.activities.dialogues.models.Audience",
        "BoardMemberRoleEnum": "danvan.activities.boards.models.Role",
        "BoardMemberOfficeEnum": "danvan.activities.boards.models.Office",
        "InspectionKindEnum": "danvan.activities.inspections.models.Kind",
        "QuizDifficultyEnum": "danvan.emulation.quizzes.models.Difficulty",
        "InspectionStateEnum": "danvan.activities.inspections.models.State",
        "InspectionRemedyStateEnum": "danvan.activities.inspections.models.RemedyState",
        "FormEnum": "danvan.directives.models.StudyForm",
        "DisclosureFormEnum": "danvan.activities.workplace.models.Form",
        "DisclosureCategoryEnum": "danvan.activities.workplace.models.Category",
        "MediationResultEnum": "danvan.activities.mediation.models.Result",
        "MediatorSexEnum": "danvan.activities.mediation.models.Sex",
        "CommendationKindEnum": "danvan.emulation.commendations.models.Kind",
        "CommendationFormEnum": "danvan.emulation.commendations.models.Form",
        "ExemplarFieldEnum": "danvan.emulation.exemplars.models.Field",
        "ExemplarStageEnum": "danvan.emulation.exemplars.models.Stage",
        "ExemplarLevelEnum": "danvan.emulation.exemplars.models.Level",
        "CampaignStateEnum": "danvan.emulation.exemplars.models.CampaignState",
        "EvaluationStateEnum": "danvan.emulation.evaluations.models.State",
        "EvaluationClassificationEnum": "danvan.emulation.evaluations.models.Classification",
    },
}

# --- API tokens and the administrators' second factor (issue 17, item 7) ---------------------------
# API tokens (accounts.ApiToken, pages /accounts/tokens/): django-rest-knox's hashed tokens, each with a
# name and an expiry the owner picks among API_TOKEN_DAYS, none beyond API_TOKEN_MAX_DAYS.
INSTALLED_APPS += ["knox"]
KNOX_TOKEN_MODEL = "accounts.ApiToken"
MIGRATION_MODULES = {"knox": None}  # knox's own token table is swapped out: never created
API_TOKEN_MAX_DAYS = envint("API_TOKEN_MAX_DAYS", "365")
API_TOKEN_DAYS = [days for days in (30, 90, 365) if days <= API_TOKEN_MAX_DAYS] or [API_TOKEN_MAX_DAYS]
REST_KNOX = {"AUTH_HEADER_PREFIX": "Token", "TOKEN_TTL": None}
# TOTP for administrators (policy.is_administrator), django-otp: an administrator with a confirmed device
# gives its 6-digit code (or a backup code) after the password; with OTP_REQUIRED_FOR_ADMINS one without a
# device is led to enrol and can do nothing else until then (default: on in production, off in DEBUG so
# the demo signs in without a phone).
INSTALLED_APPS += ["django_otp", "django_otp.plugins.otp_totp", "django_otp.plugins.otp_static"]
MIDDLEWARE += ["django_otp.middleware.OTPMiddleware", "danvan.accounts.middleware.SecondFactorMiddleware"]
OTP_REQUIRED_FOR_ADMINS = envbool("OTP_REQUIRED_FOR_ADMINS", str(not DEBUG))
OTP_TOTP_ISSUER = "DânVận"
OTP_BACKUP_CODES = 10
# --- end of API tokens and second factor -----------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}
