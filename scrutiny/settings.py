"""Settings for Scrutiny, read from the environment.

Unset variables give a zero-set-up development site: SQLite under var/,
Celery tasks run in-process. Production (DJANGO_DEBUG off) refuses to start
without a secret key, and a malformed variable stops start-up with one line
saying which variable is wrong.
"""

import datetime
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SCRUTINY_VAR_DIR", BASE_DIR / "var"))

# pytest sets PYTEST_VERSION for the whole session, before settings load.
TESTING = "PYTEST_VERSION" in os.environ


def _fail(message: str):
    """Stop start-up with a one-line message instead of a traceback."""
    raise SystemExit(f"Scrutiny configuration error: {message}")


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    return _fail(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        return _fail(f"{name} must be a whole number, not {raw!r}.")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def database_from_env() -> dict:
    url = env_str("DATABASE_URL")
    if not url:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "scrutiny.sqlite3",
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    scheme = urlsplit(url).scheme
    if scheme not in {"postgres", "postgresql", "pgsql", "sqlite"}:
        _fail(
            "DATABASE_URL must start with postgres:// (or sqlite:///path); "
            f"got {scheme + '://' if scheme else 'no scheme'}."
        )
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except ValueError as error:
        _fail(f"DATABASE_URL is malformed ({error}).")
    if scheme != "sqlite" and not config.get("NAME"):
        _fail("DATABASE_URL names no database (postgres://user@host:5432/NAME).")
    return config


# --- Django -----------------------------------------------------------------

DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "insecure-development-key-never-use-in-production-" + "x" * 20
    else:
        _fail("DJANGO_SECRET_KEY is not set; production refuses to start without it.")
elif not DEBUG and len(SECRET_KEY) < 50:
    _fail("DJANGO_SECRET_KEY is too short for production (50 characters or more).")

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG or TESTING else []
)
if not ALLOWED_HOSTS:
    _fail("DJANGO_ALLOWED_HOSTS is not set (comma-separated host names).")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "scrutiny.apps.ScrutinyAdminConfig",  # django.contrib.admin, with a second factor
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "scrutiny",
    "meetings",
    "papers",
    "minutes",
    "packs",
    "exempt",
    "performance",
    "workplan",
    "notes",
    "alerts",
    "search",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions and sign-in: a kept public page costs two cache reads.
    "scrutiny.page_cache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "scrutiny.queue.QueueFailureNoticeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "exempt.middleware.ExemptResponseHeadersMiddleware",
    "api.middleware.ApiConditionalGetMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lock-out page,
    # which then passes back through every middleware above.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "scrutiny.urls"

# The open data API (api/): read-only JSON of public data, for anyone, rate limited.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": env_str("SCRUTINY_API_RATE", "300/minute")},
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Scrutiny open data API",
    "DESCRIPTION": "Committees, people, memberships, meetings and their agendas, papers, "
    "minutes, decisions and the forward plan of key decisions: the public's view, read "
    "only. Organizations, people and memberships follow Popolo; events and agenda items "
    "follow Open Civic Data.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
}
WSGI_APPLICATION = "scrutiny.wsgi.application"

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
                "scrutiny.context_processors.council",
            ],
        },
    },
]

DATABASES = {"default": database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes checks every authentication (the sign-in form, the code step, anything
# calling authenticate()) against its lock-out before the password is even tried.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "d/m/Y"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
WHITENOISE_USE_FINDERS = DEBUG or TESTING
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/sortablejs", BASE_DIR / "node_modules" / "sortablejs"),
]

# Uploaded papers live in private storage: there is no MEDIA_URL, and files
# reach a reader only through views that ask the access policy.
PRIVATE_STORAGE_ROOT = Path(env_str("SCRUTINY_PRIVATE_STORAGE", str(VAR_DIR / "private")))
STORAGES = {
    "default": {
        "BACKEND": "scrutiny.storage.PrivateStorage",
        "OPTIONS": {"location": PRIVATE_STORAGE_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
# Or in an S3-compatible bucket (AWS S3, MinIO, Ceph, ...), through django-storages,
# when SCRUTINY_S3_BUCKET is set; credentials come from AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY (or the instance's role). Several councils can share a bucket,
# each under its own SCRUTINY_S3_PREFIX.
SCRUTINY_S3_BUCKET = env_str("SCRUTINY_S3_BUCKET")
if SCRUTINY_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "scrutiny.storage.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": SCRUTINY_S3_BUCKET,
            "endpoint_url": env_str("SCRUTINY_S3_ENDPOINT_URL") or None,
            "region_name": env_str("SCRUTINY_S3_REGION") or None,
            "location": env_str("SCRUTINY_S3_PREFIX"),
            # Names are never reused: a new file beside the old, which goes on commit.
            "file_overwrite": False,
            "default_acl": None,  # the bucket's own policy: private
            "querystring_auth": True,
        },
    }
FILE_UPLOAD_PERMISSIONS = 0o640
# The largest paper an officer may upload (bytes); the web server's own body
# limit must be at least this.
SCRUTINY_MAX_UPLOAD_BYTES = env_int("SCRUTINY_MAX_UPLOAD_MB", 25) * 1024 * 1024
# Seconds a pack build waits after a change to a published agenda, so that a burst of
# edits causes one build.
SCRUTINY_PACK_BUILD_DELAY = env_int("SCRUTINY_PACK_BUILD_DELAY", 20)
# A pack build still queued or building this long after it was asked for has been lost
# (a worker killed, a broker restarted): it is marked failed when next looked at.
SCRUTINY_PACK_STALE_AFTER = env_int("SCRUTINY_PACK_STALE_AFTER", 30 * 60)
# Cached renderings of papers no build has used for this many days are deleted.
SCRUTINY_RENDER_CACHE_DAYS = env_int("SCRUTINY_RENDER_CACHE_DAYS", 60)
# A pack build slower than this is logged as a warning.
SCRUTINY_SLOW_BUILD_SECONDS = env_int("SCRUTINY_SLOW_BUILD_SECONDS", 60)
# The largest performance data file (bytes) and the most rows one upload may hold; the
# rows are held in memory while they are checked (50,000 stay under 300 MB).
SCRUTINY_OBSERVATION_UPLOAD_MAX_BYTES = (
    env_int("SCRUTINY_OBSERVATION_UPLOAD_MAX_MB", 10) * 1024 * 1024
)
SCRUTINY_OBSERVATION_UPLOAD_MAX_ROWS = env_int("SCRUTINY_OBSERVATION_UPLOAD_MAX_ROWS", 50_000)
# Previews of uploads left unconfirmed this long expire, and the figures they held go.
# At least a day: a preview must live long enough to be read and confirmed.
SCRUTINY_UPLOAD_PREVIEW_DAYS = max(1, env_int("SCRUTINY_UPLOAD_PREVIEW_DAYS", 14))
# Seconds LibreOffice may take to convert one Office document to PDF.
SCRUTINY_CONVERSION_TIMEOUT = env_int("SCRUTINY_CONVERSION_TIMEOUT", 120)
# How many documents a pack build renders at once, each in its own process; 0: one per
# core of the machine the worker runs on, 1: one after another in the worker itself.
SCRUTINY_PACK_RENDER_PROCESSES = env_int("SCRUTINY_PACK_RENDER_PROCESSES", 0)

EMAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "memberservices@localhost")

# Production hardening; `manage.py check --deploy` is clean with these.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG and not TESTING:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refusals": {"()": "scrutiny.logging.RefusalsWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["refusals"]}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools narrate every render at INFO.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # django-axes: failed sign-ins and lock-outs (WARNING), not its chatter.
        "axes": {"level": "WARNING"},
    },
}

# --- Third party --------------------------------------------------------------

# A shared cache (Redis) in production; memory in development. (Sign-in lock-outs
# are not kept here: django-axes keeps them in the database.)
SCRUTINY_CACHE_URL = env_str("SCRUTINY_CACHE_URL")
if SCRUTINY_CACHE_URL:
    if urlsplit(SCRUTINY_CACHE_URL).scheme not in {"redis", "rediss"}:
        _fail("SCRUTINY_CACHE_URL must be a redis:// URL.")
    CACHES = {
        "default": {
            "BACKEND": "scrutiny.cache.SharedRedisCache",
            "LOCATION": SCRUTINY_CACHE_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Public pages for anonymous readers, kept whole (scrutiny/page_cache.py); only with the
# shared cache, which every process's changes reach. 0 turns it off.
# /healthz checks each part at most this often in each process (a check can take
# seconds and writes to storage); 0 checks on every request.
SCRUTINY_HEALTH_REPORT_SECONDS = env_int("SCRUTINY_HEALTH_REPORT_SECONDS", 5)
SCRUTINY_PAGE_CACHE_SECONDS = env_int(
    "SCRUTINY_PAGE_CACHE_SECONDS", 60 if SCRUTINY_CACHE_URL else 0
)
if SCRUTINY_PAGE_CACHE_SECONDS and not SCRUTINY_CACHE_URL:
    _fail("SCRUTINY_PAGE_CACHE_SECONDS needs SCRUTINY_CACHE_URL (a cache every process shares).")
if not 0 <= SCRUTINY_PAGE_CACHE_SECONDS <= 300:
    _fail("SCRUTINY_PAGE_CACHE_SECONDS must be between 0 and 300.")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Content-Security-Policy (django-csp): scripts and styles only from our own files,
# never inline, so injected markup cannot run. The admin's own pages keep inline style
# attributes, hence 'unsafe-inline' for styles only (they cannot run code).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# django-axes: five failed sign-ins (a wrong password, or a wrong code at the second
# step) refuse sign-in for 15 minutes, counted in the database so that every process
# sees them. The lock is on the username, wherever the attempts come from: a councillor's
# password cannot be guessed from many addresses. It is not on the address alone,
# because a council office or a VPN sends everyone through one proxy address and one
# person's typing would lock out the whole office; and a separate username-and-address
# lock would add nothing, since its count can never exceed the username's.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 asks for the address among the lock-out parameters; it is left out on
# purpose (above). Rotating user agents or cookies gains nothing against a username lock.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# A try while locked out starts the 15 minutes again, so "try again in 15 minutes" on
# the lock-out page is always true.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True
# Completing sign-in (after the code, for users with a second factor) clears the count.
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"  # answered with 429
AXES_CLIENT_IP_CALLABLE = "scrutiny.client.client_ip"
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code"]

# django-otp: the admin never shows an authenticator app's secret or its QR code.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Celery: with no broker configured, tasks run eagerly in the web process so
# the site works on a bare machine; with one, a separate worker runs them.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
if CELERY_BROKER_URL and urlsplit(CELERY_BROKER_URL).scheme not in {
    "redis",
    "rediss",
    "amqp",
    "memory",
}:
    _fail("CELERY_BROKER_URL must be a redis:// URL (or unset for in-process tasks).")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# A broker that is down answers a web request in about a second, not after minutes of
# retries: the task is then kept (scrutiny.queue) and sent again when it is back.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.25,
    "interval_max": 0.5,
}
# Redis hands a task that was taken but never acknowledged (a worker killed mid-task)
# to another worker after this many seconds: longer than the longest task's hard limit.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("SCRUTINY_TASK_VISIBILITY_TIMEOUT", 15 * 60),
    # Look for such tasks every 10 seconds rather than every 100 (one small Redis query).
    "unacked_restore_throttle": 1,
    "socket_connect_timeout": 2,
    "socket_timeout": 10,
}
# Celery beat (`celery -A scrutiny beat`): the daily jobs. Without a broker, cron runs
# the management command of the same name instead.
CELERY_BEAT_SCHEDULE = {
    "send-action-reminders": {
        "task": "workplan.tasks.send_action_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    # Sends again what the queue could not take while it was down (workers also do
    # this as they start).
    "redeliver-undelivered": {
        "task": "scrutiny.tasks.redeliver_undelivered",
        "schedule": 60.0,
    },
    "prune-sent-mail": {
        "task": "scrutiny.tasks.prune_sent_mail",
        "schedule": crontab(hour=3, minute=30),
    },
}
# The keys of e-mails sent are kept this long: far longer than any retry or redelivery
# of the task that sent them (minutes), so pruning cannot let one be sent twice.
SCRUTINY_SENT_MAIL_KEEP_DAYS = env_int("SCRUTINY_SENT_MAIL_KEEP_DAYS", 30)

# --- Ours ---------------------------------------------------------------------

COUNCIL_NAME = env_str("SCRUTINY_COUNCIL_NAME", "Dartford Borough Council")
COUNCIL_CONTACT_EMAIL = env_str("SCRUTINY_CONTACT_EMAIL", "memberservices@dartford.gov.uk")
# The site's address as readers reach it: e-mails carry absolute links built on it.
SCRUTINY_SITE_URL = env_str(
    "SCRUTINY_SITE_URL", "http://127.0.0.1:8000" if DEBUG or TESTING else ""
).rstrip("/")
if not SCRUTINY_SITE_URL:
    _fail(
        "SCRUTINY_SITE_URL is not set (the site's address, e.g. https://committees.example.gov.uk)."
    )
if (
    urlsplit(SCRUTINY_SITE_URL).scheme not in {"http", "https"}
    or not urlsplit(SCRUTINY_SITE_URL).netloc
):
    _fail("SCRUTINY_SITE_URL must be an http:// or https:// address.")
# The name authenticator apps show for the account (read by django-otp).
OTP_TOTP_ISSUER = f"Scrutiny ({COUNCIL_NAME})"

# How many reverse proxies in front of gunicorn append to X-Forwarded-For (nginx with
# $proxy_add_x_forwarded_for, a load balancer). With 0, people connect to gunicorn
# directly and the header is ignored; with N, the client's address is the N-th entry
# from the right (scrutiny/client.py). Set too high, it lets clients forge an address.
SCRUTINY_TRUSTED_PROXY_COUNT = env_int("SCRUTINY_TRUSTED_PROXY_COUNT", 0)
if SCRUTINY_TRUSTED_PROXY_COUNT < 0:
    _fail("SCRUTINY_TRUSTED_PROXY_COUNT must be 0 or more.")
# The API's rate limit counts each client by the same address.
# (0: the connection's address, X-Forwarded-For ignored, as for sign-in.)
REST_FRAMEWORK["NUM_PROXIES"] = SCRUTINY_TRUSTED_PROXY_COUNT

if "test" in sys.argv[1:2]:
    _fail("run the suite with `make test` (pytest), not `manage.py test`.")
