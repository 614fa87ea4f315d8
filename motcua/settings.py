"""Settings for motcua, read from environment variables (see docs/configuration.md).

The embedded default needs nothing else installed: SQLite in ./var, no broker, no cache server.
Set DATABASE_URL (postgres://...) for PostgreSQL.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from motcua.core.env import env_bool, env_int, env_list, env_secret, env_str
from motcua.documents.storage import default_storage_from_env

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
    # Two-factor sign-in for staff (docs/security.md); listed first so that identity/admin.py can take their
    # admin pages back (the device keys stay out of the admin).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "corsheaders",
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
    "motcua.notifications",
    "motcua.payments",
    "motcua.audit",
    "motcua.signing",
    "motcua.integrations",
    "motcua.privacy",
    "motcua.taxexchange",
    "motcua.land",
    "motcua.feedback",
    "motcua.docexchange",
    "motcua.demo",  # last: the demo province imports every app
    "django_tasks",
    "django_tasks_db",
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
    "motcua.core.middleware.RejectNulMiddleware",
    "motcua.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "motcua.identity.middleware.TwoFactorMiddleware",
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
                "motcua.core.emc.context",
                "motcua.integrations.simulator_pages.context",
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
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
        "DATABASE_PREPARED_STATEMENTS", default=True):
    # Parameters bound on the server, and a statement prepared the fifth time a connection runs it, so PostgreSQL
    # plans it once per connection instead of on every call: planning the public look-up's five-table join took
    # 1.1 ms against 0.2 ms for running it (docs/benchmarks.md). Turn it off behind a pooler in transaction mode
    # that cannot keep prepared statements (PgBouncer before 1.21, or without max_prepared_statements).
    DATABASES["default"].setdefault("OPTIONS", {}).update({"server_side_binding": True, "prepare_threshold": 5})
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a concurrent writer instead of failing at once; IMMEDIATE avoids lock-upgrade deadlocks. WAL: the
    # look-ups and pages of the counter keep reading while a dossier is written, and a commit appends to one
    # log instead of writing a rollback journal and the pages (measured: 0.13 ms against 0.76 ms per one-row
    # transaction here). Backups use SQLite's backup API, which copies what the log holds too.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE",
                                       "init_command": "PRAGMA journal_mode=WAL;"}
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
# Password sign-in is rate-limited (motcua/identity/throttling.py); the plain backend serves existing sessions.
AUTHENTICATION_BACKENDS = [
    "motcua.identity.throttling.ThrottledModelBackend",
    "django.contrib.auth.backends.ModelBackend",
]

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
    # Uploaded files (docs/uploads.md): MEDIA_ROOT, or an S3-compatible bucket with MOTCUA_STORAGE=s3. They are
    # never exposed under a URL of their own (no MEDIA_URL route): downloads go through views that check access.
    "default": default_storage_from_env(),
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
# Which national set of one-stop forms to print: "03/2025" (Thông tư 03/2025/TT-VPCP) or the legacy "01/2018".
MOTCUA_FORM_SET = env_str("MOTCUA_FORM_SET", "03/2025")
MOTCUA_SITE_NAME = env_str("MOTCUA_SITE_NAME", "Cổng Dịch vụ công tỉnh Đồng Nai")
# Working hours used when a province has no WorkSchedule row yet: "HH:MM-HH:MM" sessions, comma separated.
MOTCUA_WORKING_HOURS = env_str("MOTCUA_WORKING_HOURS", "07:30-11:30,13:00-17:00")
# Dossiers received after this time count from the next working day.
MOTCUA_RECEIPT_CUTOFF = env_str("MOTCUA_RECEIPT_CUTOFF", "15:00")
# Dossier code: {agency} = receiving agency e-ID, {date} = day of submission, {seq} = that agency's daily number.
MOTCUA_DOSSIER_CODE_PATTERN = env_str("MOTCUA_DOSSIER_CODE_PATTERN", "{agency}-{date:%y%m%d}-{seq:04d}")
# Public look-up: attempts per client address (django-ratelimit rate syntax).
MOTCUA_LOOKUP_RATE = env_str("MOTCUA_LOOKUP_RATE", "20/m")
# Old-address converter (page and API, docs/addresses.md): conversions per client address.
MOTCUA_ADDRESS_CONVERT_RATE = env_str("MOTCUA_ADDRESS_CONVERT_RATE", "60/m")
# Password sign-in (docs/security.md): attempts per client address; and per (account, address) a few free
# failures, then a delay that doubles after every further failure, up to a maximum; forgotten after a quiet day.
MOTCUA_SIGN_IN_RATE_PER_IP = env_str("MOTCUA_SIGN_IN_RATE_PER_IP", "30/10m")
MOTCUA_SIGN_IN_FREE_FAILURES = env_int("MOTCUA_SIGN_IN_FREE_FAILURES", 5)
MOTCUA_SIGN_IN_DELAY_SECONDS = env_int("MOTCUA_SIGN_IN_DELAY_SECONDS", 30)
MOTCUA_SIGN_IN_DELAY_MAX_SECONDS = env_int("MOTCUA_SIGN_IN_DELAY_MAX_SECONDS", 3600)
MOTCUA_SIGN_IN_FORGET_SECONDS = env_int("MOTCUA_SIGN_IN_FORGET_SECONDS", 86400)
# Two-factor sign-in (TOTP, with backup codes) for staff: leaders and administrators (and superusers) always;
# add other roles (clerk, specialist) here. MOTCUA_TWO_FACTOR_OPTIONAL=true stops requiring enrolment (staff who
# enrolled still give a code): for a local demo only, production refuses to start with it.
MOTCUA_TWO_FACTOR_ROLES = env_list("MOTCUA_TWO_FACTOR_ROLES", ["leader", "agency_admin", "province_admin"])
MOTCUA_TWO_FACTOR_OPTIONAL = env_bool("MOTCUA_TWO_FACTOR_OPTIONAL", default=False)
if MOTCUA_TWO_FACTOR_OPTIONAL and env_bool("MOTCUA_PRODUCTION", default=False):
    raise ImproperlyConfigured("MOTCUA_TWO_FACTOR_OPTIONAL is for a local demo; production requires two-factor.")
OTP_TOTP_ISSUER = MOTCUA_SITE_NAME
# Behind a reverse proxy: the request header holding the client's address (e.g. HTTP_X_REAL_IP), set by the proxy.
# Empty: REMOTE_ADDR. Every per-address limit (look-up, sign-in) uses it.
RATELIMIT_IP_META_KEY = env_str("MOTCUA_CLIENT_IP_HEADER") or None
# Shared bearer token of the national public-service portal's push API (empty: the endpoint refuses all).
MOTCUA_NATIONAL_PORTAL_TOKEN = env_secret("MOTCUA_NATIONAL_PORTAL_TOKEN")
# Shared bearer token of the province's operations centre (IOC) feed /api/v1/ioc/ (empty: the feed refuses all).
MOTCUA_IOC_TOKEN = env_secret("MOTCUA_IOC_TOKEN")
# Inbound from the national portal (docs/integrations-national-portal.md, "Inbound"): the origins its file links
# (DuongDanTaiTepTin) may point to, e.g. "https://files.dichvucong.gov.vn" (nothing else is fetched: SSRF), the
# read timeout of a file download, and the dstcode header the portal/LGSP must send (not checked when empty).
MOTCUA_NATIONAL_PORTAL_FILE_ORIGINS = env_list("MOTCUA_NATIONAL_PORTAL_FILE_ORIGINS", [])
MOTCUA_NATIONAL_PORTAL_FILE_TIMEOUT_SECONDS = env_int("MOTCUA_NATIONAL_PORTAL_FILE_TIMEOUT_SECONDS", 20)
MOTCUA_NATIONAL_PORTAL_INBOUND_DSTCODE = env_str("MOTCUA_NATIONAL_PORTAL_INBOUND_DSTCODE")
# The tax authority's and treasury's pushes (tax notices, payment confirmations; docs/land-tax-exchange.md): the
# bearer token they present (empty: refused), and how long an external tax step waits for the notice before the
# tax office's staff take over by hand (a step's own `fallback_after_hours` wins).
MOTCUA_TAX_AUTHORITY_INBOUND_TOKEN = env_secret("MOTCUA_TAX_AUTHORITY_INBOUND_TOKEN")
MOTCUA_TAX_NOTICE_FALLBACK_HOURS = env_int("MOTCUA_TAX_NOTICE_FALLBACK_HOURS", 48)
# Seconds between two polls of the tax authority and the treasury (the job chain of taxexchange.tasks; 0: no chain,
# run `manage.py poll_tax_authority` from cron instead).
MOTCUA_TAX_POLL_SECONDS = env_int("MOTCUA_TAX_POLL_SECONDS", 300)
# Seconds between two pulls of the national petitions system (PAKN; motcua.feedback.national_petitions, a job
# chain like the tax poll; 0: no chain, run `manage.py pull_national_petitions` from cron instead).
MOTCUA_PETITIONS_POLL_SECONDS = env_int("MOTCUA_PETITIONS_POLL_SECONDS", 300)
# The document exchange hub (trục liên thông văn bản, edXML; docs/document-exchange.md): the system `edxml` in
# MOTCUA_INTEGRATION_SYSTEMS_JSON, the system id and secret the hub operator issued (the secret also as …_FILE), the
# seconds between two polls of the hub (a job chain; 0: none, run `manage.py poll_document_exchange` from cron).
MOTCUA_EDXML_SYSTEM_ID = env_str("MOTCUA_EDXML_SYSTEM_ID")
MOTCUA_EDXML_SECRET = env_secret("MOTCUA_EDXML_SECRET")
MOTCUA_EDXML_POLL_SECONDS = env_int("MOTCUA_EDXML_POLL_SECONDS", 120)

# Outside systems called through motcua.integrations (docs/integrations.md): one dict per system, e.g.
# {"dvcqg": {"base_url": "https://…", "read_timeout": 6, "via_lgsp": true, "headers": {"dstcode": "…"}}};
# a system's bearer token from MOTCUA_INTEGRATION_<NAME>_TOKEN or …_TOKEN_FILE.
MOTCUA_INTEGRATION_SYSTEMS: dict[str, dict[str, Any]] = json.loads(env_str("MOTCUA_INTEGRATION_SYSTEMS_JSON", "{}"))
if not isinstance(MOTCUA_INTEGRATION_SYSTEMS, dict) or not all(
        isinstance(v, dict) for v in MOTCUA_INTEGRATION_SYSTEMS.values()):
    raise ImproperlyConfigured("MOTCUA_INTEGRATION_SYSTEMS_JSON must be a JSON object of objects")
# The province's LGSP gateway (tokens from MOTCUA_LGSP_TOKEN / MOTCUA_LGSP_ACCESS_TOKEN or their _FILE).
MOTCUA_LGSP_URL = env_str("MOTCUA_LGSP_URL")
# Fetch and refresh the gateway's token instead of a configured MOTCUA_LGSP_TOKEN: "client_credentials",
# "auth_header" or "form_access_key" (reference note §2); the client secret from MOTCUA_LGSP_CLIENT_SECRET(_FILE).
MOTCUA_LGSP_TOKEN_STYLE = env_str("MOTCUA_LGSP_TOKEN_STYLE")
MOTCUA_LGSP_TOKEN_URL = env_str("MOTCUA_LGSP_TOKEN_URL")  # default: MOTCUA_LGSP_URL + the style's token path
MOTCUA_LGSP_CLIENT_ID = env_str("MOTCUA_LGSP_CLIENT_ID")
# Demo only (scripts/demo.sh): links to the local simulators' pages, {"dvcqg": "http://127.0.0.1:8301/", …}.
MOTCUA_DEMO_SIMULATOR_PAGES: dict[str, str] = json.loads(env_str("MOTCUA_DEMO_SIMULATOR_PAGES_JSON", "{}"))
if MOTCUA_DEMO_SIMULATOR_PAGES:
    from motcua.integrations.simulator_pages import check as _check_simulator_pages

    MOTCUA_DEMO_SIMULATOR_PAGES = _check_simulator_pages(MOTCUA_DEMO_SIMULATOR_PAGES)
    if env_bool("MOTCUA_PRODUCTION", default=False):
        raise ImproperlyConfigured("MOTCUA_DEMO_SIMULATOR_PAGES_JSON is for the demo; production refuses it")
MOTCUA_INTEGRATION_RETENTION_DAYS = env_int("MOTCUA_INTEGRATION_RETENTION_DAYS", 400)
# Personal data protection (docs/privacy.md): repeated reads coalesced into one log line, how long a typed reason
# opens another agency's dossier, how long a consent taken at the counter lasts, and how many days each kind of
# personal data is kept (0: forever) before `manage.py purge_personal_data` deletes it.
MOTCUA_PRIVACY_ACCESS_COALESCE_SECONDS = env_int("MOTCUA_PRIVACY_ACCESS_COALESCE_SECONDS", 300)
MOTCUA_PRIVACY_OUT_OF_SCOPE_MINUTES = env_int("MOTCUA_PRIVACY_OUT_OF_SCOPE_MINUTES", 30)
MOTCUA_PRIVACY_COUNTER_CONSENT_MINUTES = env_int("MOTCUA_PRIVACY_COUNTER_CONSENT_MINUTES", 60)
MOTCUA_PRIVACY_ACCESS_LOG_DAYS = env_int("MOTCUA_PRIVACY_ACCESS_LOG_DAYS", 730)
MOTCUA_PRIVACY_CONSENT_DAYS = env_int("MOTCUA_PRIVACY_CONSENT_DAYS", 1825)
MOTCUA_PRIVACY_DRAFT_DAYS = env_int("MOTCUA_PRIVACY_DRAFT_DAYS", 90)
MOTCUA_PRIVACY_REGISTRY_ANSWER_DAYS = env_int("MOTCUA_PRIVACY_REGISTRY_ANSWER_DAYS", 365)
MOTCUA_PRIVACY_BUSINESS_ANSWER_DAYS = env_int("MOTCUA_PRIVACY_BUSINESS_ANSWER_DAYS", 365)
# Outbound sync of dossier status changes to the national portal (system `dvcqg` above; docs/integrations.md).
# Off (rows wait as pending) until `dvcqg`, the agency code and the log-in name are all set.
MOTCUA_NATIONAL_PORTAL_MADONVI = env_str("MOTCUA_NATIONAL_PORTAL_MADONVI")
MOTCUA_NATIONAL_PORTAL_USERNAME = env_str("MOTCUA_NATIONAL_PORTAL_USERNAME")
MOTCUA_NATIONAL_PORTAL_PASSWORD = env_secret("MOTCUA_NATIONAL_PORTAL_PASSWORD")
MOTCUA_NATIONAL_PORTAL_AUTH_PATH = env_str("MOTCUA_NATIONAL_PORTAL_AUTH_PATH", "/auth")
MOTCUA_NATIONAL_PORTAL_PATH = env_str("MOTCUA_NATIONAL_PORTAL_PATH", "/integration")
# The portal's share endpoint: the national procedures database (LayThuTuc, LayDanhSachTTHC, LayDanhMuc…).
MOTCUA_NATIONAL_PORTAL_SHARE_PATH = env_str("MOTCUA_NATIONAL_PORTAL_SHARE_PATH", "/share")
MOTCUA_NATIONAL_PORTAL_SYNC_MAX_ATTEMPTS = env_int("MOTCUA_NATIONAL_PORTAL_SYNC_MAX_ATTEMPTS", 8)
MOTCUA_NATIONAL_PORTAL_SYNC_BACKOFF_SECONDS = env_int("MOTCUA_NATIONAL_PORTAL_SYNC_BACKOFF_SECONDS", 60)
MOTCUA_NATIONAL_PORTAL_SYNC_BACKOFF_MAX_SECONDS = env_int("MOTCUA_NATIONAL_PORTAL_SYNC_BACKOFF_MAX_SECONDS", 3600)
# Nightly reconciliation: the first run looks back this many days; each run checks at most this many dossiers.
MOTCUA_NATIONAL_PORTAL_RECONCILE_DAYS = env_int("MOTCUA_NATIONAL_PORTAL_RECONCILE_DAYS", 7)
MOTCUA_NATIONAL_PORTAL_RECONCILE_LIMIT = env_int("MOTCUA_NATIONAL_PORTAL_RECONCILE_LIMIT", 2000)
# Citizen sign-in (OpenID Connect). JSON in MOTCUA_OIDC_PROVIDERS_JSON overrides these entries key by key; a
# provider is offered once it has a metadata URL and a client id (from the Government Office / the Ministry of
# Public Security). Claim names are configurable because VNeID uses Vietnamese ones. `acr_levels` says which
# electronic identification level each `acr` the provider returns proves (docs/security.md).
MOTCUA_OIDC_PROVIDERS: dict[str, dict[str, Any]] = {
    "vneid": {
        "label": "VNeID", "server_metadata_url": "", "client_id": "", "client_secret": "",
        "scope": "openid profile phone email", "acr_values": "LoA2", "acr_levels": {"LoA1": 1, "LoA2": 2},
        "timeout": 10,
        "claims": {"national_id": "SoDinhDanh", "full_name": "HoVaTen", "phone": "SoDienThoai", "email": "email",
                   "birthdate": "NgaySinh"},
    },
    "dvcqg": {
        "label": "Cổng Dịch vụ công quốc gia", "server_metadata_url": "", "client_id": "", "client_secret": "",
        "scope": "openid profile", "acr_values": "LoA1", "acr_levels": {"LoA1": 1, "LoA2": 2}, "timeout": 10,
        "claims": {"national_id": "sub", "full_name": "name", "phone": "phone_number", "email": "email"},
    },
}
for _name, _override in json.loads(env_str("MOTCUA_OIDC_PROVIDERS_JSON", "{}")).items():
    MOTCUA_OIDC_PROVIDERS[_name] = {**MOTCUA_OIDC_PROVIDERS.get(_name, {}), **_override}
# The `function` of the agency whose one-stop clerks confirm that a citizen is a business's legal representative
# (until the national business register is checked). The provincial service centre hosts that counter by default.
MOTCUA_REPRESENTATION_AGENCY_FUNCTION = env_str("MOTCUA_REPRESENTATION_AGENCY_FUNCTION", "service_center")
# The Zalo Mini App calls the REST API from Zalo's origin: the origins allowed to (CORS, on /api/v1/ only, bearer
# tokens, no cookies). Empty: none (docs/miniapp.md).
CORS_ALLOWED_ORIGINS = env_list("MOTCUA_MINIAPP_ORIGINS", [])
CORS_URLS_REGEX = r"^/api/v1/((catalog|me|dossiers|feedback|addresses)(/.*)?|auth/(zalo|app-code))$"
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_HEADERS = ("accept", "authorization", "content-type", "idempotency-key")
CORS_PREFLIGHT_MAX_AGE = 600
# Zalo Mini App sign-in: the phone-number token is exchanged here with the app's secret key.
MOTCUA_ZALO_GRAPH_URL = env_str("MOTCUA_ZALO_GRAPH_URL", "https://graph.zalo.me")
MOTCUA_ZALO_APP_SECRET = env_secret("MOTCUA_ZALO_APP_SECRET")
MOTCUA_ZALO_TIMEOUT = env_int("MOTCUA_ZALO_TIMEOUT", 10)
# Base URL of the links in QR codes, forms, SMS and e-mails. Unset: the local server on PORT (scripts/demo.sh).
MOTCUA_PUBLIC_URL = env_str("MOTCUA_PUBLIC_URL", f"http://127.0.0.1:{env_int('PORT', 8000)}")

# --- Background jobs (django-tasks) ---------------------------------------------------------------
# The embedded default keeps the queue in the database: no broker; run `manage.py db_worker` (several workers,
# on several machines, against the same PostgreSQL database scale out). A broker-backed backend is configuration.
TASKS = {
    "default": {
        "BACKEND": env_str("MOTCUA_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# --- Notifications (docs/notifications.md) -------------------------------------------------------
# Email over SMTP when EMAIL_HOST is set; otherwise messages are printed to the console (demo).
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", f"{MOTCUA_SITE_NAME} <no-reply@localhost>")
# Channels used for applicants: email, sms, zns (Zalo ZNS is used for an event once its template has a Zalo
# template id; SMS then stands in when ZNS finally fails, if MOTCUA_NOTIFY_SMS_FALLBACK).
MOTCUA_NOTIFY_CHANNELS = env_list("MOTCUA_NOTIFY_CHANNELS", ["email", "sms", "zns"])
MOTCUA_NOTIFY_SMS_FALLBACK = env_bool("MOTCUA_NOTIFY_SMS_FALLBACK", default=True)
MOTCUA_NOTIFY_MAX_ATTEMPTS = env_int("MOTCUA_NOTIFY_MAX_ATTEMPTS", 5)
MOTCUA_NOTIFY_BACKOFF_SECONDS = env_int("MOTCUA_NOTIFY_BACKOFF_SECONDS", 60)  # doubled after every failure
MOTCUA_NOTIFY_BACKOFF_MAX_SECONDS = env_int("MOTCUA_NOTIFY_BACKOFF_MAX_SECONDS", 3600)
# A message claimed by a worker that has not finished within the lease is taken back (the worker died).
MOTCUA_NOTIFY_LEASE_SECONDS = env_int("MOTCUA_NOTIFY_LEASE_SECONDS", 300)
# How often the outbox sweeper runs (recovers lost leases and re-queues overdue messages).
MOTCUA_NOTIFY_SWEEP_SECONDS = env_int("MOTCUA_NOTIFY_SWEEP_SECONDS", 60)
# Per recipient and channel: messages at most this many per hour / per day (later ones wait, none is dropped).
MOTCUA_NOTIFY_RATE_PER_HOUR = env_int("MOTCUA_NOTIFY_RATE_PER_HOUR", 10)
MOTCUA_NOTIFY_RATE_PER_DAY = env_int("MOTCUA_NOTIFY_RATE_PER_DAY", 30)
# SMS brandname gateway: "log" (demo: written to the log) or "http" (JSON API shaped like eSMS's).
MOTCUA_SMS_BACKEND = env_str("MOTCUA_SMS_BACKEND", "log")
MOTCUA_SMS_URL = env_str("MOTCUA_SMS_URL", "https://rest.esms.vn/MainService.svc/json/SendMultipleMessage_V4_post_json/")
MOTCUA_SMS_API_KEY = env_secret("MOTCUA_SMS_API_KEY")
MOTCUA_SMS_SECRET_KEY = env_secret("MOTCUA_SMS_SECRET_KEY")
MOTCUA_SMS_BRANDNAME = env_str("MOTCUA_SMS_BRANDNAME")
MOTCUA_SMS_TYPE = env_str("MOTCUA_SMS_TYPE", "2")  # eSMS: 2 = customer-care brandname
MOTCUA_SMS_UNICODE = env_bool("MOTCUA_SMS_UNICODE", default=False)  # false: sent without diacritics (cheaper)
MOTCUA_SMS_SANDBOX = env_bool("MOTCUA_SMS_SANDBOX", default=False)
MOTCUA_SMS_TIMEOUT = env_int("MOTCUA_SMS_TIMEOUT", 10)
# Zalo ZNS template messages by phone number: "log" (demo) or "http".
MOTCUA_ZNS_BACKEND = env_str("MOTCUA_ZNS_BACKEND", "log")
MOTCUA_ZNS_URL = env_str("MOTCUA_ZNS_URL", "https://business.openapi.zalo.me/message/template")
MOTCUA_ZNS_ACCESS_TOKEN = env_secret("MOTCUA_ZNS_ACCESS_TOKEN")
MOTCUA_ZNS_DEVELOPMENT_MODE = env_bool("MOTCUA_ZNS_DEVELOPMENT_MODE", default=False)
MOTCUA_ZNS_TIMEOUT = env_int("MOTCUA_ZNS_TIMEOUT", 10)

# --- Payments (docs/payments.md) -----------------------------------------------------------------
# VNPay (API 2.1.0). Online payment is offered once the terminal code and the hash secret are set.
MOTCUA_VNPAY_TMN_CODE = env_str("MOTCUA_VNPAY_TMN_CODE")
MOTCUA_VNPAY_HASH_SECRET = env_secret("MOTCUA_VNPAY_HASH_SECRET")
MOTCUA_VNPAY_PAYMENT_URL = env_str("MOTCUA_VNPAY_PAYMENT_URL", "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html")
MOTCUA_VNPAY_API_URL = env_str("MOTCUA_VNPAY_API_URL",
                               "https://sandbox.vnpayment.vn/merchant_webapi/api/transaction")
MOTCUA_VNPAY_EXPIRE_MINUTES = env_int("MOTCUA_VNPAY_EXPIRE_MINUTES", 15)
MOTCUA_VNPAY_TIMEOUT = env_int("MOTCUA_VNPAY_TIMEOUT", 15)
# Addresses VNPay calls the IPN from (empty: any; the signature is checked either way).
MOTCUA_VNPAY_IPN_ALLOWED_IPS = env_list("MOTCUA_VNPAY_IPN_ALLOWED_IPS", [])
# Demo only (scripts/demo.sh): a local DEMO stand-in for VNPay's payment page at /thanh-toan/vnpay-demo/ (no real
# money), which speaks VNPay's payment-URL protocol with the terminal code and hash secret above. Refused in production.
MOTCUA_DEMO_PAYMENTS = env_bool("MOTCUA_DEMO_PAYMENTS", default=False)
if MOTCUA_DEMO_PAYMENTS and env_bool("MOTCUA_PRODUCTION", default=False):
    raise ImproperlyConfigured("MOTCUA_DEMO_PAYMENTS is for a local demo: production pays through the real VNPay.")
# The national public-service portal's payment platform (Nền tảng thanh toán, docs/payments.md): reached as the
# `paygov` system of MOTCUA_INTEGRATION_SYSTEMS_JSON (base URL or LGSP route, timeouts, retries); offered once that
# system, the partner code (MaDoiTac) and the hash key are set. MOTCUA_PAYGOV_SECRET_KEY is an older name of the key.
if env_str("MOTCUA_PAYGOV_URL"):
    raise ImproperlyConfigured("MOTCUA_PAYGOV_URL is no longer read: configure the `paygov` system in "
                               "MOTCUA_INTEGRATION_SYSTEMS_JSON (docs/payments.md).")
MOTCUA_PAYGOV_PARTNER_CODE = env_str("MOTCUA_PAYGOV_PARTNER_CODE")
MOTCUA_PAYGOV_HASH_KEY = env_secret("MOTCUA_PAYGOV_HASH_KEY") or env_secret("MOTCUA_PAYGOV_SECRET_KEY")
MOTCUA_PAYGOV_INIT_PATH = env_str("MOTCUA_PAYGOV_INIT_PATH", "/init")  # paths on the `paygov` system (GUESSED)
MOTCUA_PAYGOV_BILL_PATH = env_str("MOTCUA_PAYGOV_BILL_PATH", "/getbill")
# LoaiBanTin values and PhienBan given at onboarding (empty: the adapter's GUESSED defaults).
MOTCUA_PAYGOV_MESSAGE_TYPE_INIT = env_str("MOTCUA_PAYGOV_MESSAGE_TYPE_INIT")
MOTCUA_PAYGOV_MESSAGE_TYPE_BILL = env_str("MOTCUA_PAYGOV_MESSAGE_TYPE_BILL")
MOTCUA_PAYGOV_VERSION = env_str("MOTCUA_PAYGOV_VERSION")
# Where the fees go (ThongTinBienLai: TKThuHuong, MaNHThuHuong, TenTKThuHuong).
MOTCUA_PAYGOV_BENEFICIARY_ACCOUNT = env_str("MOTCUA_PAYGOV_BENEFICIARY_ACCOUNT")
MOTCUA_PAYGOV_BENEFICIARY_BANK = env_str("MOTCUA_PAYGOV_BENEFICIARY_BANK")
MOTCUA_PAYGOV_BENEFICIARY_NAME = env_str("MOTCUA_PAYGOV_BENEFICIARY_NAME")
# Addresses the platform calls the confirmation URL from (empty: any; the checksum is checked either way).
MOTCUA_PAYGOV_CALLBACK_ALLOWED_IPS = env_list("MOTCUA_PAYGOV_CALLBACK_ALLOWED_IPS", [])
# Hosts the citizen may be sent to by an init answer, besides the `paygov` system's own host.
MOTCUA_PAYGOV_PAYMENT_HOSTS = env_list("MOTCUA_PAYGOV_PAYMENT_HOSTS", [])

# --- Land procedures and the land database (docs/land.md) ------------------------------------------------------
# The `dat_dai` system of MOTCUA_INTEGRATION_SYSTEMS_JSON is the land database service (off when absent: parcels are
# checked by hand). Procedures checked against it, restrictions that block them (the others are warnings).
MOTCUA_LAND_PROCEDURES = env_list("MOTCUA_LAND_PROCEDURES", ["1.013831", "1.013833"])
MOTCUA_LAND_BLOCKING_RESTRICTIONS = env_list("MOTCUA_LAND_BLOCKING_RESTRICTIONS",
                                             ["tranh_chap", "ke_bien", "ngan_chan"])
MOTCUA_LAND_REGISTRY_PATH = env_str("MOTCUA_LAND_REGISTRY_PATH", "/")  # the service's path on `dat_dai` (GUESSED)
MOTCUA_LAND_DEFAULT_COMMUNE = env_str("MOTCUA_LAND_DEFAULT_COMMUNE")  # commune code when an e-form names none
MOTCUA_LAND_WRITE_BACK_MAX_ATTEMPTS = env_int("MOTCUA_LAND_WRITE_BACK_MAX_ATTEMPTS", 8)
MOTCUA_LAND_WRITE_BACK_BACKOFF_SECONDS = env_int("MOTCUA_LAND_WRITE_BACK_BACKOFF_SECONDS", 60)
MOTCUA_LAND_WRITE_BACK_BACKOFF_MAX_SECONDS = env_int("MOTCUA_LAND_WRITE_BACK_BACKOFF_MAX_SECONDS", 3600)

# --- Digital signatures of results (docs/signing.md) ---------------------------------------------
# "pkcs12" (a .p12/.pfx file) or "pkcs11" (a token / HSM); empty: results cannot be signed, so a dossier with a
# draft result cannot be approved.
MOTCUA_SIGNING_BACKEND = env_str("MOTCUA_SIGNING_BACKEND")
MOTCUA_SIGNING_PKCS12_FILE = env_str("MOTCUA_SIGNING_PKCS12_FILE")
MOTCUA_SIGNING_PKCS12_PASSWORD = env_secret("MOTCUA_SIGNING_PKCS12_PASSWORD")
MOTCUA_SIGNING_PKCS11_LIB = env_str("MOTCUA_SIGNING_PKCS11_LIB")
MOTCUA_SIGNING_PKCS11_TOKEN_LABEL = env_str("MOTCUA_SIGNING_PKCS11_TOKEN_LABEL")
MOTCUA_SIGNING_PKCS11_PIN = env_secret("MOTCUA_SIGNING_PKCS11_PIN")
MOTCUA_SIGNING_PKCS11_KEY_LABEL = env_str("MOTCUA_SIGNING_PKCS11_KEY_LABEL")
MOTCUA_SIGNING_PKCS11_CERT_LABEL = env_str("MOTCUA_SIGNING_PKCS11_CERT_LABEL")
MOTCUA_SIGNING_PKCS11_CERT_FILE = env_str("MOTCUA_SIGNING_PKCS11_CERT_FILE")  # when the token holds no certificate
MOTCUA_SIGNING_CHAIN_FILE = env_str("MOTCUA_SIGNING_CHAIN_FILE")  # PEM intermediates embedded in the signature
# RFC 3161 timestamp authority (empty: no timestamp).
MOTCUA_SIGNING_TSA_URL = env_str("MOTCUA_SIGNING_TSA_URL")
MOTCUA_SIGNING_TSA_TIMEOUT = env_int("MOTCUA_SIGNING_TSA_TIMEOUT", 10)
# Directory of PEM/DER CA certificates the verifier trusts (nothing else: no OS store).
MOTCUA_SIGNING_TRUST_ROOTS_DIR = env_str("MOTCUA_SIGNING_TRUST_ROOTS_DIR")
# Revocation when verifying: CRL files in this directory (DER or PEM), and/or fetch CRL/OCSP over the network.
MOTCUA_SIGNING_CRL_DIR = env_str("MOTCUA_SIGNING_CRL_DIR")
MOTCUA_SIGNING_REVOCATION_FETCH = env_bool("MOTCUA_SIGNING_REVOCATION_FETCH", default=False)
# The visible signature block on the last page: x1,y1,x2,y2 in PDF points from the bottom-left corner.
MOTCUA_SIGNING_STAMP_BOX = env_str("MOTCUA_SIGNING_STAMP_BOX", "300,30,565,120")
MOTCUA_SIGNING_STAMP_FONT = env_str("MOTCUA_SIGNING_STAMP_FONT", "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf")
# The demo (scripts/demo.sh sets MOTCUA_DEMO_SIGNING=true): sign with the DEMO certificate `setup_demo` makes in
# MOTCUA_DEMO_SIGNING_DIR and trust its DEMO root, unless a real signer is configured. Refused in production.
MOTCUA_PRODUCTION = env_bool("MOTCUA_PRODUCTION", default=False)
MOTCUA_DEMO_SIGNING_DIR = Path(env_str("MOTCUA_DEMO_SIGNING_DIR", str(VAR_DIR / "demo-signing")))
MOTCUA_DEMO_SIGNING = env_bool("MOTCUA_DEMO_SIGNING", default=False)
if MOTCUA_DEMO_SIGNING and MOTCUA_PRODUCTION:
    raise ImproperlyConfigured("MOTCUA_DEMO_SIGNING is for the demo only: production signs with a real certificate.")
if MOTCUA_DEMO_SIGNING and not MOTCUA_SIGNING_BACKEND:
    from motcua.signing.demo import demo_signing_settings

    _demo_signing = demo_signing_settings(MOTCUA_DEMO_SIGNING_DIR)
    MOTCUA_SIGNING_BACKEND = _demo_signing["MOTCUA_SIGNING_BACKEND"]
    MOTCUA_SIGNING_PKCS12_FILE = _demo_signing["MOTCUA_SIGNING_PKCS12_FILE"]
    MOTCUA_SIGNING_PKCS12_PASSWORD = _demo_signing["MOTCUA_SIGNING_PKCS12_PASSWORD"]
    MOTCUA_SIGNING_CHAIN_FILE = _demo_signing["MOTCUA_SIGNING_CHAIN_FILE"]
    MOTCUA_SIGNING_TRUST_ROOTS_DIR = MOTCUA_SIGNING_TRUST_ROOTS_DIR or _demo_signing["MOTCUA_SIGNING_TRUST_ROOTS_DIR"]
    MOTCUA_SIGNING_CRL_DIR = MOTCUA_SIGNING_CRL_DIR or _demo_signing["MOTCUA_SIGNING_CRL_DIR"]
# Per-agency and per-leader certificates (SigningIdentity, docs/signing.md): without one, sign with the
# deployment-wide signer above only when this is true (the demo: yes); otherwise the approval is refused.
MOTCUA_SIGNING_FALLBACK = env_bool("MOTCUA_SIGNING_FALLBACK", default=MOTCUA_DEMO_SIGNING)
# Remote signing service (ký số từ xa, system "remote_signing"): how long to wait for the signer's confirmation.
MOTCUA_REMOTE_SIGNING_WAIT_SECONDS = env_int("MOTCUA_REMOTE_SIGNING_WAIT_SECONDS", 120)
MOTCUA_REMOTE_SIGNING_POLL_SECONDS = env_int("MOTCUA_REMOTE_SIGNING_POLL_SECONDS", 2)

# --- Uploads (docs/uploads.md) --------------------------------------------------------------------
# Size limits: one file, and all files of one dossier together.
MOTCUA_UPLOAD_MAX_FILE_BYTES = env_int("MOTCUA_UPLOAD_MAX_FILE_MB", 10) * 1024 * 1024
MOTCUA_UPLOAD_MAX_DOSSIER_BYTES = env_int("MOTCUA_UPLOAD_MAX_DOSSIER_MB", 50) * 1024 * 1024
# Allowed types, recognised from the content (not the name): any of pdf, jpeg, png, docx, xlsx.
MOTCUA_UPLOAD_ALLOWED_TYPES = env_list("MOTCUA_UPLOAD_ALLOWED_TYPES", ["pdf", "jpeg", "png", "docx", "xlsx"])
# Virus scanning with ClamAV's clamd: a Unix socket, or a host and port. Unset: files are stored "not scanned".
MOTCUA_CLAMD_SOCKET = env_str("MOTCUA_CLAMD_SOCKET")
MOTCUA_CLAMD_HOST = env_str("MOTCUA_CLAMD_HOST")
MOTCUA_CLAMD_PORT = env_int("MOTCUA_CLAMD_PORT", 3310)
MOTCUA_CLAMD_TIMEOUT = env_int("MOTCUA_CLAMD_TIMEOUT", 120)
MOTCUA_CLAMD_MAX_ATTEMPTS = env_int("MOTCUA_CLAMD_MAX_ATTEMPTS", 5)  # then the file is "failed" (fail closed)
MOTCUA_CLAMD_RETRY_SECONDS = env_int("MOTCUA_CLAMD_RETRY_SECONDS", 300)  # times the attempt number
# Production refuses to start with no scanner configured (system check documents.E001) unless this is false:
# running without virus scanning must be a decision, not an omission. False also ignores a configured clamd.
MOTCUA_VIRUS_SCAN = env_bool("MOTCUA_VIRUS_SCAN", default=True)
# The REST APIs carry files as base64 inside JSON: let a whole dossier's worth through (Django's 2.5 MB default
# would refuse it before any check of ours).
DATA_UPLOAD_MAX_MEMORY_SIZE = MOTCUA_UPLOAD_MAX_DOSSIER_BYTES * 4 // 3 + 1024 * 1024

# --- Production hardening (MOTCUA_PRODUCTION=true) ------------------------------------------------
MOTCUA_PRODUCTION = env_bool("MOTCUA_PRODUCTION", default=False)
if MOTCUA_PRODUCTION:
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
# Sent on every response (motcua/core/middleware.py, docs/security.md). Scripts and styles come from this site
# only: no inline script, handler attribute or style attribute in any page. Images may be data: URIs (QR codes).
MOTCUA_CSP = env_str("MOTCUA_CSP", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                     "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
                     "frame-ancestors 'none'; form-action 'self' https:")
# Demo only (refused in production): the payment-platform simulator is served over http on another port, and the
# fees form's redirect to its page must pass form-action, which otherwise allows this site and https: only.
_paygov_url = str(dict(MOTCUA_INTEGRATION_SYSTEMS.get("paygov") or {}).get("base_url") or "")
if MOTCUA_DEMO_PAYMENTS and "MOTCUA_CSP" not in os.environ and _paygov_url.startswith("http://"):
    _origin = urlsplit(_paygov_url)
    MOTCUA_CSP = MOTCUA_CSP.replace("form-action 'self' https:",
                                    f"form-action 'self' https: http://{_origin.netloc}")
# The ministry's EMC monitoring snippet (docs/integrations.md; GUESSED shape): off unless the script URL is set; its
# origin is then added to script-src, connect-src and img-src of the policy above.
MOTCUA_EMC_SCRIPT_URL = env_str("MOTCUA_EMC_SCRIPT_URL")
MOTCUA_EMC_SITE_ID = env_str("MOTCUA_EMC_SITE_ID")
if MOTCUA_EMC_SCRIPT_URL:
    from motcua.core.emc import script_origin

    script_origin(MOTCUA_EMC_SCRIPT_URL)  # refuses a bad URL at start-up
    if not MOTCUA_EMC_SITE_ID:
        raise ImproperlyConfigured("MOTCUA_EMC_SCRIPT_URL needs MOTCUA_EMC_SITE_ID (the site code EMC issued)")
MOTCUA_PERMISSIONS_POLICY = env_str(
    "MOTCUA_PERMISSIONS_POLICY",
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=()")
