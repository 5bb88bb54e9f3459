"""Settings of the django-helpdesk peer project: production-like serving on loopback.

Environment:
    DATABASE_URL    postgres://postgres@127.0.0.1:5432/peer_helpdesk (the default)
    DB_CONN_MAX_AGE 0 by default, as ComplaintDesk's settings
    PEER_VAR        where media/static/logs go (default <repo>/var/peers)
"""

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

BASE_DIR = Path(__file__).resolve().parent.parent  # bench/peers/helpdesk
REPO = BASE_DIR.parent.parent.parent
VAR = Path(os.environ.get("PEER_VAR", REPO / "var" / "peers"))

SECRET_KEY = os.environ.get("PEER_SECRET_KEY", "peer-helpdesk-bench-only-not-a-secret-0123456789abcdef")
DEBUG = False
ALLOWED_HOSTS = ["localhost", "127.0.0.1"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "helpdesk",
    "peerproj",
]
SITE_ID = 1

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "peerproj.urls"
WSGI_APPLICATION = "peerproj.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _database(url):
    u = urlparse(url)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": u.path.lstrip("/") or "peer_helpdesk",
        "USER": unquote(u.username or "postgres"),
        "PASSWORD": unquote(u.password or ""),
        "HOST": u.hostname or "127.0.0.1",
        "PORT": str(u.port or 5432),
        "CONN_MAX_AGE": int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    }


DATABASES = {
    "default": _database(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/peer_helpdesk"))
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR / "helpdesk-static"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR / "helpdesk-media"

LOGIN_URL = "helpdesk:login"
LOGIN_REDIRECT_URL = "helpdesk:home"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# No mail leaves the machine (the API create would notify the submitter).
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
DEFAULT_FROM_EMAIL = "helpdesk@example.com"

# API: DRF. Token (cheap, like ComplaintDesk's API), session (cookie + X-CSRFToken for writes) and
# basic (works, but costs one PBKDF2 password hash per request). Helpdesk's TicketViewSet itself
# requires is_staff (IsAdminUser).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
}

# django-helpdesk 2.6.1 (settings read in helpdesk/settings.py)
HELPDESK_API_ENABLED = True  # /helpdesk/api/ (tickets, followups, users, user_tickets)
HELPDESK_UI_ENABLED = True
HELPDESK_TEAMS_MODE_ENABLED = False  # else pinax-teams would be required
HELPDESK_PUBLIC_ENABLED = True
HELPDESK_KB_ENABLED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False}},
}
