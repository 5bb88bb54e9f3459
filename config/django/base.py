"""Settings shared by every environment; environment-specific files import * from here."""

import datetime as dt
import pathlib

import dj_database_url

from config.env import BASE_DIR, env, env_bool, env_int

SECRET_KEY = env("SECRET_KEY", "insecure-dev-key-change-me-in-production-0123456789")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = [h for h in (env("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver") or "").split(",") if h]

VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "axes",
    "complaintdesk.core",
    "complaintdesk.org",
    "complaintdesk.customers",
    "complaintdesk.complaints",
    "complaintdesk.sla",
    "complaintdesk.followups",
    "complaintdesk.notifications",
    "complaintdesk.language",
    "complaintdesk.enforcement",
    "complaintdesk.reports",
    "complaintdesk.webhooks",
    "complaintdesk.improvement",
    "complaintdesk.demo",
    "complaintdesk.imports",
    "complaintdesk.retention",
    "complaintdesk.api",
    "complaintdesk.web",
    "complaintdesk.portal",
    "complaintdesk.ops",
]

MIDDLEWARE = [
    "complaintdesk.ops.requestid.RequestIdMiddleware",
    "complaintdesk.ops.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "complaintdesk.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "complaintdesk.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a lock-out flagged during authentication into the lock-out response.
    "axes.middleware.AxesMiddleware",
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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
# Widgets: Django's templates, with inputs, selects and textareas built in Python (core/widgets.py).
FORM_RENDERER = "complaintdesk.core.widgets.WidgetRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'complaintdesk.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the in-process worker read while one writes.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

# Behind PgBouncer in transaction mode a server-side cursor (Django's ``.iterator()``, the choice
# lists of forms, the streamed exports) may be fetched on another server connection than the one
# that declared it: set DB_SERVER_SIDE_CURSORS=off there (docs/deploy.md).
if env("DB_SERVER_SIDE_CURSORS", "on") == "off":
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True

# Production: a streaming replica for reports and dashboards (complaintdesk.core.replica).
if env("REPLICA_DATABASE_URL"):
    DATABASES["replica"] = dj_database_url.parse(env("REPLICA_DATABASE_URL"), conn_max_age=env_int("DB_CONN_MAX_AGE", 0))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASES["replica"]["DISABLE_SERVER_SIDE_CURSORS"] = DATABASES["default"].get("DISABLE_SERVER_SIDE_CURSORS", False)
# PostgreSQL's JIT compiles any query its planner thinks expensive: 400 of the 620 ms of the
# dashboard's largest aggregate went to compiling it (docs/BENCHMARKS.md), and short OLTP queries
# gain nothing. Off per connection unless DB_JIT=server (then postgresql.conf decides — set it
# there, or with ALTER ROLE … SET jit = off, behind PgBouncer, which refuses startup options).
if env("DB_JIT", "off") == "off":
    for _alias in DATABASES.values():
        if _alias["ENGINE"] == "django.db.backends.postgresql":
            _alias.setdefault("OPTIONS", {})["options"] = "-c jit=off"
# Prepared statements: the parameters are bound on the server, and a query a connection has run
# twice is prepared, so PostgreSQL plans it once per connection instead of on every request. The
# complaint's detail read (8 joins) spent 4 ms planning and 0.5 ms executing (docs/BENCHMARKS.md,
# "Prepared statements"). Behind PgBouncer in transaction mode this needs PgBouncer 1.21 or newer
# with max_prepared_statements set; older poolers: DB_PREPARED_STATEMENTS=off (docs/deploy.md).
DB_PREPARE_THRESHOLD = 2
if env("DB_PREPARED_STATEMENTS", "on") == "on":
    for _alias in DATABASES.values():
        if _alias["ENGINE"] == "django.db.backends.postgresql":
            _alias.setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=DB_PREPARE_THRESHOLD)
DATABASE_ROUTERS = ["complaintdesk.core.replica.ReplicaRouter"]
REPLICA_MAX_LAG_SECONDS = env_int("REPLICA_MAX_LAG_SECONDS", 30)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

# Password policy: at least 10 characters, not like the username, not a common or all-digit password.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out username/address before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = pathlib.Path(env("MEDIA_ROOT")) if env("MEDIA_ROOT") else VAR_DIR / "media"

FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# Attachments: what a complaint may carry.
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
ATTACHMENT_ALLOWED_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".pdf": "application/pdf",
    ".txt": "text/plain",
    ".mp3": "audio/mpeg",
    ".wav": "audio/wav",
    ".m4a": "audio/mp4",
    ".mp4": "video/mp4",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if env("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("REDIS_URL")}}

# Seconds the sidebar's queue counts are kept per user (web/views/nav.py); 0 counts on every page.
NAV_COUNTS_TTL = env_int("NAV_COUNTS_TTL", 10)

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "complaintdesk@localhost")

# API: systems authenticate with a token (`manage.py drf_create_token USER`), the UI with its
# session; HTTP Basic is off (it would let a password be guessed without the login's lockout).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "complaintdesk.api.errors.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "complaintdesk.api.schema.ApiSchema",
    "DEFAULT_PAGINATION_CLASS": "complaintdesk.api.v1.base.CursorPage",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_ANON_RATE", "60/min"),
        "user": env("API_USER_RATE", "6000/min"),
    },
    "EXCEPTION_HANDLER": "complaintdesk.api.errors.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ComplaintDesk API",
    "VERSION": "1.0.0",
    "DESCRIPTION": "投诉工单台 REST API — see docs/api.md (token auth, cursor pagination, errors, idempotency).",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ComplaintStatusEnum": "complaintdesk.complaints.choices.Status",
        "ComplaintChannelEnum": "complaintdesk.complaints.choices.Channel",
        "ContactKindEnum": "complaintdesk.complaints.choices.ContactKind",
        "VisitMethodEnum": "complaintdesk.complaints.choices.VisitMethod",
        "MessageStatusEnum": "complaintdesk.notifications.models.OutboundStatus",
        "MessageChannelEnum": "complaintdesk.notifications.models.Channel",
        "NotificationKindEnum": "complaintdesk.notifications.models.NotificationKind",
    },
}

# Background work: Celery with Redis in production; eager (in-process) when no broker is set.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "complaintdesk.ops.requestid.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        # Production (LOG_FORMAT=json): one JSON object a line, with the request id.
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(process)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": env("LOG_FORMAT", "text"),
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # Eager tasks would log every success; sweeps report their own runs.
    "loggers": {"celery": {"level": env("CELERY_LOG_LEVEL", "WARNING")}},
}
COMPLAINTDESK_REPEAT_WINDOW_DAYS = env_int("REPEAT_WINDOW_DAYS", 30)
# Local time (Asia/Shanghai) after which the morning job makes yesterday's 日报.
REPORTS_DAILY_AT = env("REPORTS_DAILY_AT", "08:00")
# The dashboard and reports read the running tallies (reports.tally) for whole days; off: count
# every complaint of the period on each read (the reference the tallies are checked against).
REPORTS_TALLY = env_bool("REPORTS_TALLY", True)

# Sign-in lock-out (django-axes): the login page, the admin and every password-based API login.
# Counted per username *and* address, so a shared call-centre NAT address does not lock out a
# whole floor, and guessing one account's password stops after AXES_FAILURE_LIMIT tries.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "complaintdesk.org.lockout.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
# Trusted reverse proxies in front of the app (production: 1); X-Forwarded-For is ignored at 0.
RATELIMIT_PROXY_COUNT = env_int("RATELIMIT_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "complaintdesk.core.ratelimit.client_ip_or_none"

# Content-Security-Policy (complaintdesk.core.middleware): scripts only from this site (plus the
# per-request nonce); inline styles stay allowed for the style="" attributes and htmx's indicator.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
CONTENT_SECURITY_POLICY_PATHS = {
    "/api/docs/": (
        "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
        "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data: https://cdn.jsdelivr.net; "
        "object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
    ),
}

# Customer portal (/portal/, SPEC §9).
PORTAL_BASE_URL = env("PORTAL_BASE_URL", "http://127.0.0.1:8000")  # the links in customer SMS
PORTAL_INTAKE_USERNAME = env("PORTAL_INTAKE_USERNAME", "portal")  # first owner of portal complaints
PORTAL_LINK_MAX_AGE_DAYS = env_int("PORTAL_LINK_MAX_AGE_DAYS", 30)
PORTAL_CODE_TTL_MINUTES = env_int("PORTAL_CODE_TTL_MINUTES", 10)
PORTAL_CODE_MAX_ATTEMPTS = env_int("PORTAL_CODE_MAX_ATTEMPTS", 5)
PORTAL_SESSION_HOURS = env_int("PORTAL_SESSION_HOURS", 12)
PORTAL_MAX_PHOTOS = 6
PORTAL_RATE_LIMITS = {  # scope: (attempts, window in seconds)
    "code_phone": (5, 3600),  # sign-in codes sent to one phone
    "code_ip": (20, 3600),
    "verify_ip": (30, 3600),
    "track_ip": (10, 600),  # number + phone lookups
    "track_phone": (10, 3600),
    "submit_ip": (10, 3600),
}
CUSTOMER_LINK_BUILDER = "complaintdesk.portal.links.portal_link_for"  # {link} in customer SMS

# Operations (complaintdesk.ops): /metrics answers these addresses, or anyone with the token.
METRICS_TOKEN = env("METRICS_TOKEN", "")
METRICS_ALLOWED_ADDRESSES = tuple(a for a in (env("METRICS_ALLOWED_ADDRESSES", "127.0.0.1,::1") or "").split(",") if a)

# Retention defaults (an active RetentionPolicy row in the admin overrides them): closed cases are
# archived after ARCHIVE_AFTER_DAYS; personal data is removed ANONYMISE_AFTER_DAYS after closing.
COMPLAINTDESK_ARCHIVE_AFTER_DAYS = env_int("ARCHIVE_AFTER_DAYS", 30)
COMPLAINTDESK_ANONYMISE_AFTER_DAYS = env_int("ANONYMISE_AFTER_DAYS", 3 * 365)

# What the customer's 回执单 prints: who received the complaint, the hotline, and where to check
# progress (the portal's tracking page).
SERVICE_CENTRE_NAME = env("SERVICE_CENTRE_NAME", "阳光花园物业客户服务中心")
SERVICE_CENTRE_HOTLINE = env("SERVICE_CENTRE_HOTLINE", "400-820-6688")
SERVICE_CENTRE_TRACK_PATH = env("SERVICE_CENTRE_TRACK_PATH", "/portal/track/")

# Recurring problems (热点问题): the look-back period, the smallest group, and how many leading
# address characters the database groups by before texts are compared (improvement.selectors).
IMPROVEMENT_RECURRING_DAYS = env_int("IMPROVEMENT_RECURRING_DAYS", 30)
IMPROVEMENT_RECURRING_MIN_SIZE = env_int("IMPROVEMENT_RECURRING_MIN_SIZE", 3)
IMPROVEMENT_AREA_PREFIX_CHARS = env_int("IMPROVEMENT_AREA_PREFIX_CHARS", 4)
