"""Settings for motcua, read from environment variables (see docs/configuration.md).

The embedded default needs nothing else installed: SQLite in ./var, no broker, no cache server.
Set DATABASE_URL (postgres://...) for PostgreSQL.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from motcua.core.env import env_bool, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("MOTCUA_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY:
    if env_bool("MOTCUA_PRODUCTION", default=False):
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) must be set in production.")
    # Development/demo only: a fixed, clearly-named key. Production refuses to start without a real one.
    SECRET_KEY = "insecure-development-key-do-not-use-in-production-motcua"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "motcua.core",
    "motcua.identity",
    "motcua.directory",
    "motcua.calendar",
    "motcua.catalog",
    "motcua.documents",
    "motcua.dossiers",
    "motcua.backoffice",
    "motcua.portal",
    "motcua.reports",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
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
                "motcua.core.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a concurrent writer instead of failing at once; IMMEDIATE avoids lock-upgrade deadlocks.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    if str(DATABASES["default"]["NAME"]).startswith(str(VAR_DIR)):
        VAR_DIR.mkdir(parents=True, exist_ok=True)

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env_str("REDIS_URL")}
        if env_str("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "motcua"}
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "identity.User"
LOGIN_URL = "backoffice:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Vietnamese first, English second.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "motcua" / "locale"]
FORMAT_MODULE_PATH = ["motcua.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG and env_bool("MOTCUA_MANIFEST_STATIC", default=True)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint narrates every rendering step at INFO.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# --- Province deployment -------------------------------------------------------------------------
# The province this deployment serves (2025 national code, e.g. 75 = Đồng Nai).
MOTCUA_PROVINCE_CODE = env_str("MOTCUA_PROVINCE_CODE", "75")
MOTCUA_SITE_NAME = env_str("MOTCUA_SITE_NAME", "Cổng Dịch vụ công tỉnh Đồng Nai")
# Working hours used when a province has no WorkSchedule row yet: "HH:MM-HH:MM" sessions, comma separated.
MOTCUA_WORKING_HOURS = env_str("MOTCUA_WORKING_HOURS", "07:30-11:30,13:00-17:00")
# Dossiers received after this time count from the next working day.
MOTCUA_RECEIPT_CUTOFF = env_str("MOTCUA_RECEIPT_CUTOFF", "15:00")
# Dossier code: {agency} = receiving agency e-ID, {date} = day of submission, {seq} = that agency's daily number.
MOTCUA_DOSSIER_CODE_PATTERN = env_str("MOTCUA_DOSSIER_CODE_PATTERN", "{agency}-{date:%y%m%d}-{seq:04d}")
# Public look-up: attempts per client address (django-ratelimit rate syntax).
MOTCUA_LOOKUP_RATE = env_str("MOTCUA_LOOKUP_RATE", "20/m")
# Shared bearer token of the national public-service portal's push API (empty: the endpoint refuses all).
MOTCUA_NATIONAL_PORTAL_TOKEN = env_secret("MOTCUA_NATIONAL_PORTAL_TOKEN")
# Citizen sign-in (OpenID Connect). JSON in MOTCUA_OIDC_PROVIDERS_JSON overrides these entries key by key; a
# provider is offered once it has a metadata URL and a client id (from the Government Office / the Ministry of
# Public Security). Claim names are configurable because VNeID uses Vietnamese ones.
MOTCUA_OIDC_PROVIDERS: dict[str, dict[str, Any]] = {
    "vneid": {
        "label": "VNeID", "server_metadata_url": "", "client_id": "", "client_secret": "",
        "scope": "openid profile phone email", "acr_values": "LoA2", "timeout": 10,
        "claims": {"national_id": "SoDinhDanh", "full_name": "HoVaTen", "phone": "SoDienThoai", "email": "email",
                   "birthdate": "NgaySinh"},
    },
    "dvcqg": {
        "label": "Cổng Dịch vụ công quốc gia", "server_metadata_url": "", "client_id": "", "client_secret": "",
        "scope": "openid profile", "acr_values": "LoA1", "timeout": 10,
        "claims": {"national_id": "sub", "full_name": "name", "phone": "phone_number", "email": "email"},
    },
}
for _name, _override in json.loads(env_str("MOTCUA_OIDC_PROVIDERS_JSON", "{}")).items():
    MOTCUA_OIDC_PROVIDERS[_name] = {**MOTCUA_OIDC_PROVIDERS.get(_name, {}), **_override}
# Zalo Mini App sign-in: the phone-number token is exchanged here with the app's secret key.
MOTCUA_ZALO_GRAPH_URL = env_str("MOTCUA_ZALO_GRAPH_URL", "https://graph.zalo.me")
MOTCUA_ZALO_APP_SECRET = env_secret("MOTCUA_ZALO_APP_SECRET")
MOTCUA_ZALO_TIMEOUT = env_int("MOTCUA_ZALO_TIMEOUT", 10)
# Base URL printed in QR codes on the forms.
MOTCUA_PUBLIC_URL = env_str("MOTCUA_PUBLIC_URL", "http://127.0.0.1:8000")

# --- Production hardening (MOTCUA_PRODUCTION=true) ------------------------------------------------
if env_bool("MOTCUA_PRODUCTION", default=False):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
