"""Settings shared by every environment; values come from the environment.

Each variable read here is listed in the README and in .env.example.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any, overload

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


@overload
def env(name: str) -> str | None: ...
@overload
def env(name: str, default: str) -> str: ...
def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = env("DJANGO_SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "rest_framework",
    "drf_spectacular",
    "django_q",
    "axes",
    "legaltracker.core",
    "legaltracker.accounts",
    "legaltracker.calendars",
    "legaltracker.cases",
    "legaltracker.deadlines",
    "legaltracker.api",
    "legaltracker.web",
    "legaltracker.exports",
    "legaltracker.board",
    "legaltracker.inspection",
    "legaltracker.find",
    "letters",
    "legaltracker.audit",
    "legaltracker.alerts",
    "legaltracker.security",
    "legaltracker.demo",
    "legaltracker.imports",
    "legaltracker.census",
    "legaltracker.performance",
    "legaltracker.court",
]

MIDDLEWARE = [
    # First: every log line and every response carries the request id.
    "legaltracker.audit.requestid.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # The Content Security Policy on every response (legaltracker/security/middleware.py).
    "legaltracker.security.middleware.ContentSecurityPolicyMiddleware",
    # Static files straight from the app server, compressed and cached (docs/operations.md).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Right after authentication: needs request.user; wraps every view that can change
    # data, so that a change and its access log row are one transaction (docs/retention.md).
    "legaltracker.audit.middleware.AccessAuditMiddleware",
    # Authenticated pages hold children's personal data: never cached by the browser.
    "legaltracker.web.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Idle timeout and absolute cap, then the second factor (after messages: they say why).
    "legaltracker.security.middleware.SessionLimitsMiddleware",
    "legaltracker.security.middleware.SecondFactorMiddleware",
    # The sign-in throttle: last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out username before the password is checked.
    "legaltracker.security.backends.ThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "legaltracker.urls"
WSGI_APPLICATION = "legaltracker.wsgi.application"

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
                "legaltracker.web.context_processors.layout",
                "legaltracker.alerts.context_processors.alerts",
            ],
        },
    },
]


CONNECT_TIMEOUT_SECONDS = 5


def database_config(url: str | None) -> dj_database_url.DBConfig:
    """SQLite by default; DATABASE_URL selects PostgreSQL (psycopg 3)."""
    if url:
        # Transactions are explicit: each service is one atomic block (house style), so
        # requests are not wrapped whole (that would make every read take SQLite's write lock).
        # Connections are kept between requests for 60 seconds and checked before a request
        # reuses one, so that after a database restart no request fails on a connection
        # the server has already closed (docs/operations.md, "When the database goes away").
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        if config["ENGINE"] == "django.db.backends.postgresql":
            options = config.setdefault("OPTIONS", {})
            # The board's and the alerts' queries are short index reads; PostgreSQL's JIT
            # compiler costs more than it saves on them (measured: docs/performance.md).
            options["options"] = "-c jit=off"
            # An unreachable server is an error within seconds (a 503 page), not a worker
            # waiting minutes for TCP to give up. `?connect_timeout=N` in the URL wins.
            options.setdefault("connect_timeout", CONNECT_TIMEOUT_SECONDS)
        return config
    sqlite_path = Path(env("SQLITE_PATH") or BASE_DIR / "var" / "legaltracker.sqlite3")
    # A fresh clone has no var/: create it so that `manage.py migrate` works first time.
    sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(sqlite_path),
        # Without IMMEDIATE, concurrent writers fail with "database is locked" instead of
        # waiting: a transaction takes the write lock when it begins.
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
    }


DATABASES = {"default": database_config(env("DATABASE_URL"))}
# Two PostgreSQL roles (docs/operations.md, "Two database roles"): DATABASE_URL is the
# runtime role (no UPDATE, DELETE or TRUNCATE on the audit tables); MIGRATE_DATABASE_URL
# is the owner role, used only by the commands that change the schema or the grants.
MIGRATE_DATABASE_URL = env("MIGRATE_DATABASE_URL", "") or ""
OWNER_COMMANDS = frozenset({"migrate", "db_roles", "createcachetable"})
if MIGRATE_DATABASE_URL and len(sys.argv) > 1 and sys.argv[1] in OWNER_COMMANDS:
    DATABASES = {"default": database_config(MIGRATE_DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"] if (BASE_DIR / "static").is_dir() else []
# Letter files and other private documents: never under a public URL.
PRIVATE_STORAGE_ROOT = Path(env("PRIVATE_STORAGE_ROOT", str(BASE_DIR / "var" / "private")))

LOGIN_URL = "web:sign_in"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:sign_in"
# A link in a password reset email works once and for one hour (docs/security.md,
# "Changing and resetting a password").
PASSWORD_RESET_TIMEOUT = 60 * 60
# Forms render with the project's own GOV.UK Frontend templates (templates/django/forms/).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

SESSION_COOKIE_HTTPONLY = True
# Signed out this many seconds after signing in, however active: 10 hours
# (docs/security.md, section 2).
SESSION_ABSOLUTE_AGE = int(env("SESSION_ABSOLUTE_AGE", str(10 * 60 * 60)) or 36000)
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(env("SESSION_COOKIE_AGE", str(30 * 60)) or 1800)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy directives (legaltracker.security.middleware.DEFAULT_POLICY when
# None): no inline or eval'd script, nothing from another origin.
CONTENT_SECURITY_POLICY = None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# The sign-in throttle (django-axes): after LEGALTRACKER_SIGN_IN_FAILURE_LIMIT wrong
# passwords for one username from one address, that pair is locked out for
# LEGALTRACKER_SIGN_IN_COOLOFF_MINUTES (never for ever); each lockout is recorded
# (legaltracker.security.models.Lockout, in the admin).
AXES_FAILURE_LIMIT = int(env("LEGALTRACKER_SIGN_IN_FAILURE_LIMIT", "5") or 5)
AXES_COOLOFF_TIME = dt.timedelta(
    minutes=int(env("LEGALTRACKER_SIGN_IN_COOLOFF_MINUTES", "15") or 15)
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# More attempts during a lockout do not restart it: it ends when the cool-off says.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "legaltracker.security.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "legaltracker.security.clientip.client_ip"
# Password spraying (docs/security.md, "Password spraying"): failed sign-ins from one
# address, whatever the username, lock that address out for the cool-off above once they
# reach LEGALTRACKER_SIGN_IN_ADDRESS_FAILURE_LIMIT within the window; failed sign-ins across
# the site reaching LEGALTRACKER_SIGN_IN_BURST_LIMIT within their window raise an alarm
# (an error in the log and an email to the administrators), once a window.
LEGALTRACKER_SIGN_IN_ADDRESS_FAILURE_LIMIT = int(
    env("LEGALTRACKER_SIGN_IN_ADDRESS_FAILURE_LIMIT", "20") or 20
)
LEGALTRACKER_SIGN_IN_ADDRESS_WINDOW = dt.timedelta(
    minutes=int(env("LEGALTRACKER_SIGN_IN_ADDRESS_WINDOW_MINUTES", "15") or 15)
)
LEGALTRACKER_SIGN_IN_BURST_LIMIT = int(env("LEGALTRACKER_SIGN_IN_BURST_LIMIT", "100") or 100)
LEGALTRACKER_SIGN_IN_BURST_WINDOW = dt.timedelta(
    minutes=int(env("LEGALTRACKER_SIGN_IN_BURST_WINDOW_MINUTES", "5") or 5)
)
# The second factor (docs/security.md, "Second factor guessing"): this many wrong codes for
# one person, across sign-ins, stop codes being checked for them for the cool-off, and
# the administrators are told.
LEGALTRACKER_SECOND_FACTOR_FAILURE_LIMIT = int(
    env("LEGALTRACKER_SECOND_FACTOR_FAILURE_LIMIT", "5") or 5
)
LEGALTRACKER_SECOND_FACTOR_COOLOFF = dt.timedelta(
    minutes=int(env("LEGALTRACKER_SECOND_FACTOR_COOLOFF_MINUTES", "15") or 15)
)
# How many reverse proxies append to X-Forwarded-For in front of the app (0: none).
LEGALTRACKER_PROXY_COUNT = int(env("LEGALTRACKER_PROXY_COUNT", "0") or 0)

# API throttling (docs/security.md, "Finding 4"): requests per client and per hour (DRF's
# "N/second|minute|hour|day"), counted in the `throttle` cache every app server shares:
# Redis when LEGALTRACKER_CACHE_URL names one, otherwise a database table (made by migrate).
API_THROTTLE_RATES = {
    "anon": env("LEGALTRACKER_API_THROTTLE_ANON", "60/hour"),
    "user": env("LEGALTRACKER_API_THROTTLE_USER", "3000/hour"),
}
# Anonymous refusals under /api/ write one access log row per address per window.
API_ANONYMOUS_AUDIT_WINDOW_SECONDS = int(
    env("LEGALTRACKER_API_ANONYMOUS_AUDIT_WINDOW_SECONDS", "3600") or 3600
)
_CACHE_URL = env("LEGALTRACKER_CACHE_URL", "") or ""
CACHES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "throttle": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _CACHE_URL}
        if _CACHE_URL.startswith(("redis://", "rediss://", "unix://"))
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "legaltracker_throttle_cache",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    ),
}

# API tokens (legaltracker/api/tokens.py): how long a new one lasts unless its owner says,
# and how recent a second-factor check must be to make one.
LEGALTRACKER_API_TOKEN_DAYS = int(env("LEGALTRACKER_API_TOKEN_DAYS", "90") or 90)
LEGALTRACKER_API_TOKEN_SECOND_FACTOR_MINUTES = int(
    env("LEGALTRACKER_API_TOKEN_SECOND_FACTOR_MINUTES", "15") or 15
)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "legaltracker.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["legaltracker.api.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "legaltracker.api.errors.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_THROTTLE_CLASSES": [
        "legaltracker.api.throttles.AnonymousThrottle",
        "legaltracker.api.throttles.UserThrottle",
    ],
}

SPECTACULAR_SETTINGS = {
    "TITLE": "legaltracker API",
    "DESCRIPTION": "Cases, transitions, recorded events, deadlines and the audit trail.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Several bodies have a `kind` or an `outcome` with different choice sets: name each
    # enum after the domain's identifiers (docs/domain/identifiers.md) instead of a hash.
    "ENUM_NAME_OVERRIDES": {
        "StageEnum": "legaltracker.cases.choices.Stage",
        "OutcomeEnum": "legaltracker.cases.choices.Outcome",
        "TransitionOutcomeEnum": "legaltracker.cases.serializers.TRANSITION_OUTCOMES",
        "EventKindEnum": "legaltracker.cases.choices.EventKind",
        "ExtensionKindEnum": "legaltracker.cases.choices.ExtensionKind",
        "ExtensionRequestStatusEnum": "legaltracker.cases.choices.ExtensionRequestStatus",
        "MilestoneEnum": "legaltracker.deadlines.choices.Milestone",
        "DeadlineStatusEnum": "legaltracker.deadlines.choices.DeadlineStatus",
        "RagEnum": "legaltracker.deadlines.choices.Rag",
        "LetterKindEnum": "letters.choices.LetterKind",
        "LetterStatusEnum": "letters.choices.LetterStatus",
        "ExpectationStatusEnum": "letters.choices.ExpectationStatus",
        "SendMethodEnum": "letters.choices.SendMethod",
        "HearingKindEnum": "legaltracker.court.choices.HearingKind",
        "HearingModeEnum": "legaltracker.court.choices.HearingMode",
        "HearingStatusEnum": "legaltracker.court.choices.HearingStatus",
        "OrderMadeEnum": "legaltracker.court.choices.OrderMade",
        "DraftOrderByEnum": "legaltracker.court.choices.DraftOrderBy",
        "JudgeLevelEnum": "legaltracker.court.choices.JudgeLevel",
        "GuardianServiceEnum": "legaltracker.court.choices.GuardianService",
        "AdvocateKindEnum": "legaltracker.court.choices.AdvocateKind",
        "DirectionPartyEnum": "legaltracker.court.choices.DirectionParty",
        "DirectionStatusEnum": "legaltracker.court.choices.DirectionStatus",
        "ExpertTypeEnum": "legaltracker.court.choices.ExpertType",
    },
}

# The council's name in every page header (and, later, in letters).
LEGALTRACKER_COUNCIL_NAME = env("LEGALTRACKER_COUNCIL_NAME", "Eastbrook Borough Council")

# The council's details in letters (empty: the invented demo council's).
LEGALTRACKER_COUNCIL_DEPARTMENT = env("LEGALTRACKER_COUNCIL_DEPARTMENT", "")
LEGALTRACKER_COUNCIL_ADDRESS = env("LEGALTRACKER_COUNCIL_ADDRESS", "")  # lines separated by "|"
LEGALTRACKER_COUNCIL_PHONE = env("LEGALTRACKER_COUNCIL_PHONE", "")
LEGALTRACKER_COUNCIL_EMAIL = env("LEGALTRACKER_COUNCIL_EMAIL", "")
LEGALTRACKER_COUNCIL_WEBSITE = env("LEGALTRACKER_COUNCIL_WEBSITE", "")
LEGALTRACKER_COUNCIL_LOGO = env("LEGALTRACKER_COUNCIL_LOGO", "")  # PNG/JPEG path; empty: default
LETTERS_STORAGE_ROOT = Path(env("LETTERS_STORAGE_ROOT", str(PRIVATE_STORAGE_ROOT / "letters")))
LETTERS_SOFFICE = env("LETTERS_SOFFICE", "soffice")
# A PDF is made inside a web request (the first download of a letter as PDF): the
# conversion must end well before gunicorn kills the worker (WEB_TIMEOUT, its --timeout
# in docs/operations.md). System check letters.E005 ties the two.
WEB_TIMEOUT = int(env("WEB_TIMEOUT", "60") or 60)
LETTERS_PDF_TIMEOUT = int(env("LETTERS_PDF_TIMEOUT", "45") or 45)

# The LA's nation decides the bank holiday list and whether the family group
# decision-making offer (s31ZA, England) is required.
LEGALTRACKER_NATION = env("LEGALTRACKER_NATION") or "england"

# Closed cases are reviewed this many years after closing (docs/retention.md, "Retention").
RETENTION_YEARS_AFTER_CLOSURE = int(env("RETENTION_YEARS_AFTER_CLOSURE", "25") or 25)
# Cases that ended in a care or placement order: kept to the youngest child's birthday at
# this age (looked-after children's records: to their 75th birthday).
RETENTION_LOOKED_AFTER_UNTIL_AGE = int(env("RETENTION_LOOKED_AFTER_UNTIL_AGE", "75") or 75)
# Take X-Request-ID from the reverse proxy (only if the proxy strips it from clients).
AUDIT_TRUST_REQUEST_ID_HEADER = env_bool("AUDIT_TRUST_REQUEST_ID_HEADER", False)
# The key of the audit hash chains (legaltracker/core/hashchain.py). Kept out of the database
# so that its owner cannot forge a chain; never change it (old rows would stop verifying).
# Empty: derived from SECRET_KEY (development and tests).
AUDIT_CHAIN_KEY = env("LEGALTRACKER_AUDIT_CHAIN_KEY", "") or ""

# Email (the deadline alerts): Django's SMTP settings from the environment.
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25") or 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Shorter than the task timeout, so a silent mail server cannot hold a worker (alerts.W001).
EMAIL_TIMEOUT = int(env("EMAIL_TIMEOUT", "30") or 30)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "legal-tracker@localhost")

# Deadline alerts (docs/alerts.md).
ALERTS_SITE_URL = env("ALERTS_SITE_URL", "http://localhost:8000")
ALERTS_DAILY_TIME = env("ALERTS_DAILY_TIME", "07:00")
ALERTS_CHANNEL = env("ALERTS_CHANNEL", "email")
ALERTS_RETRY_BASE_SECONDS = float(env("ALERTS_RETRY_BASE_SECONDS", "60") or 60)
ALERTS_RETRY_MAX_SECONDS = float(env("ALERTS_RETRY_MAX_SECONDS", "3600") or 3600)
ALERTS_MAX_ATTEMPTS = int(env("ALERTS_MAX_ATTEMPTS", "12") or 12)
ALERTS_RETRY_WAIT_SECONDS = float(env("ALERTS_RETRY_WAIT_SECONDS", "10") or 10)
ALERTS_SYNC_SCHEDULES_ON_MIGRATE = env_bool("ALERTS_SYNC_SCHEDULES_ON_MIGRATE", True)
ALERTS_SWEEP_ON_WORKER_START = env_bool("ALERTS_SWEEP_ON_WORKER_START", True)
ALERTS_CALENDAR_FEED_EXPIRY_DAYS = int(env("ALERTS_CALENDAR_FEED_EXPIRY_DAYS", "90") or 90)
NOTIFY_API_KEY = env("NOTIFY_API_KEY", "")
NOTIFY_TEMPLATE_ID = env("NOTIFY_TEMPLATE_ID", "")
NOTIFY_BASE_URL = env("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")

# Exports are made by django-q2 tasks into private storage (legaltracker/exports):
# files can be downloaded for EXPORTS_TTL_HOURS by the person who asked, then removed.
EXPORTS_STORAGE_ROOT = Path(env("EXPORTS_STORAGE_ROOT", str(PRIVATE_STORAGE_ROOT / "exports")))
EXPORTS_TTL_HOURS = float(env("EXPORTS_TTL_HOURS", "24") or 24)
EXPORTS_MAX_ACTIVE_PER_PERSON = int(env("EXPORTS_MAX_ACTIVE_PER_PERSON", "3") or 3)
EXPORTS_SYNC_SCHEDULE_ON_MIGRATE = env_bool("EXPORTS_SYNC_SCHEDULE_ON_MIGRATE", True)
# Exports run at a lower CPU priority than web requests (a nice value; 0: the same).
EXPORTS_NICE = int(env("EXPORTS_NICE", "10") or 0)

# django-q2: the ORM broker by default (no extra server); Q_CLUSTER_BROKER=redis for Redis.
# `retry` must exceed `timeout` (system check alerts.E002), or a running task is handed to
# a second worker.
Q_CLUSTER: dict[str, Any] = {
    "name": "legaltracker",
    "workers": int(env("Q_CLUSTER_WORKERS", "2") or 2),
    "timeout": int(env("Q_CLUSTER_TIMEOUT", "120") or 120),
    "retry": int(env("Q_CLUSTER_RETRY", "300") or 300),
    "max_attempts": 5,
    "save_limit": -1,
    # After downtime, do not queue every missed minute of the alerts sweep.
    "catch_up": False,
}
if env("Q_CLUSTER_BROKER", "orm") == "redis":
    Q_CLUSTER["redis"] = env("Q_CLUSTER_REDIS_URL", "redis://127.0.0.1:6379/0")
else:
    Q_CLUSTER["orm"] = "default"

# Logs: one JSON object a line (LOG_FORMAT=json, the default) or plain text; ids only,
# never names, addresses or what was typed (legaltracker/core/logging.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Every line written during a request carries its request id (legaltracker.audit).
    # No calendar feed token in any line (legaltracker/core/logging.py).
    "filters": {
        "request_id": {"()": "legaltracker.audit.requestid.RequestIdLogFilter"},
        "secret_paths": {"()": "legaltracker.core.logging.SecretPathFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "legaltracker.core.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain" if env("LOG_FORMAT", "json") == "plain" else "json",
            "filters": ["request_id", "secret_paths"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        # django-axes writes the username typed into its messages: its lockouts are
        # recorded in the database instead (security.Lockout) and logged without it.
        "axes": {"level": "ERROR"},
        # SQL with its parameters (personal data) is logged at DEBUG: never.
        "django.db.backends": {"level": "INFO"},
        # The development server logs each request line: through the filtered handler.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
