"""essor settings: every value comes from the environment (see .env.example)."""

import ipaddress
import os
from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

from config.secret_key import local_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# A local run: a checkout on someone's machine, with its SQLite file. By default, a run
# that sets neither SECRET_KEY nor DATABASE_URL (a server sets both); ESSOR_LOCAL=false
# on a server makes a forgotten SECRET_KEY stop it even on SQLite.
LOCAL = env.bool("ESSOR_LOCAL", default=not (os.environ.get("SECRET_KEY")
                                             or os.environ.get("DATABASE_URL")))
LOCAL_DIR = env.path("ESSOR_LOCAL_DIR", default=BASE_DIR / ".local")
# Production sets SECRET_KEY. A local or DEBUG run without one uses a key generated once
# into .local/secret_key (mode 0600, git-ignored); anything else refuses to start.
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY and (LOCAL or DEBUG):
    SECRET_KEY = local_secret_key(Path(LOCAL_DIR) / "secret_key")
if not SECRET_KEY:
    raise environ.ImproperlyConfigured(
        "Set SECRET_KEY: this run is not local (DATABASE_URL is set, or ESSOR_LOCAL=false), "
        "so essor does not make up a key. See .env.example.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "essor.core",
    "essor.accounts",
    "essor.audit",
    "essor.territory",
    "essor.registry",
    "essor.promotion",
    "essor.training",
    "essor.observatory",
    "essor.incubation",
    "essor.reports",
    "axes",
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
    "django_htmx.middleware.HtmxMiddleware",
    "essor.core.middleware.SecurityHeadersMiddleware",
    "essor.accounts.sessions.SessionIdleTimeoutMiddleware",
    "essor.audit.middleware.RefusedAccessMiddleware",
    # last: turns a login refused by the lock into the lock's page
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "django.template.context_processors.i18n",
                "essor.core.context_processors.navigation",
            ],
        },
    },
]

FORM_RENDERER = "essor.core.forms.FormRenderer"

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'essor.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20,
         "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# The lock (django-axes) refuses a locked user and address before the password is checked,
# on every login path: essor's login page and the Django admin's.
AUTHENTICATION_BACKENDS = [
    "essor.accounts.lock.LockBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Absolute session length (from login), and the idle time after which a session ends.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not (DEBUG or LOCAL))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool(
    "BEHIND_PROXY", default=False) else None
# Reverse proxies whose X-Forwarded-For is believed (addresses or CIDR networks): the
# client's address is then the right-most hop that is not one of them
# (essor.core.http.client_ip, for the audit log and the login lock).
TRUSTED_PROXIES = [ipaddress.ip_network(value, strict=False)
                   for value in env.list("TRUSTED_PROXIES", default=[])]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("ar", _("Arabic")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Africa/Casablanca"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": env.str(
        "STATICFILES_STORAGE",
        default="django.contrib.staticfiles.storage.StaticFilesStorage" if DEBUG or LOCAL
        else "whitenoise.storage.CompressedManifestStaticFilesStorage")},
}
# A local run serves static files from the source folders (no collectstatic needed).
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = DEBUG or LOCAL
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=20 * 1024 * 1024)

# Mail: SMTP when EMAIL_HOST is set, else printed on the console.
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_PORT = env.int("EMAIL_PORT", default=587 if EMAIL_USE_TLS else 465 if EMAIL_USE_SSL
                     else 25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default=(
    "django.core.mail.backends.smtp.EmailBackend" if "EMAIL_HOST" in os.environ
    else "django.core.mail.backends.console.EmailBackend"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="essor@localhost")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# One cache shared by every process and server (the login lock counts in it): a table of
# the database by default (created by `essor migrate`), Redis with CACHE_URL=redis://…
CACHES = {"default": env.cache_url("CACHE_URL", default="dbcache://essor_cache")}
if CACHES["default"]["BACKEND"].endswith("DatabaseCache"):
    # The figures' results live here (essor.observatory.cache): with Django's default of
    # 300 entries, a national dashboard's results cull each other (bench/RESULTS.md).
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 20_000)

# The login lock (django-axes): 5 failures of one user from one address lock that pair
# for 15 minutes; another user at the same address, or the same user elsewhere, is not
# locked out. Counted in the shared cache.
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_CACHE = "default"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_CALLABLE = "essor.accounts.lock.username"
AXES_CLIENT_IP_CALLABLE = "essor.core.http.client_ip"
AXES_LOCKOUT_CALLABLE = "essor.accounts.lock.lockout_response"
AXES_ENABLE_ADMIN = False  # nothing is stored in its tables with the cache handler
AXES_DISABLE_ACCESS_LOG = True  # essor's audit log records logins
AXES_VERBOSE = False

# Password reset by e-mail (essor.accounts.views): the link works for 2 hours; requests
# are counted in the shared cache, per client address and per e-mail address typed
# (whether an account has it or not), over a window of an hour.
PASSWORD_RESET_TIMEOUT = 2 * 3600
PASSWORD_RESET_LIMITS = {"per_client": 10, "per_email": 3, "window": 3600}

# A form refused by the CSRF check (an expired page on a phone): essor's own page.
CSRF_FAILURE_VIEW = "essor.core.errors.csrf_failure"

# Background tasks (decision e-mails…): the database backend, worked by `essor db_worker`;
# on a DEBUG machine or in a local run they run at once, so that `make demo` shows its
# e-mails in the console.
TASKS = {"default": {"BACKEND": env.str(
    "TASKS_BACKEND", default="django_tasks.backends.immediate.ImmediateBackend" if DEBUG or LOCAL
    else "django_tasks_db.DatabaseBackend")}}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "essor.audit.middleware.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "essor API",
    "DESCRIPTION": "Registry and programme records of the ESS support programme.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint logs each step of every PDF at INFO; axes each successful login (the
    # audit log has them), while failures and locks stay in the console as warnings.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"},
                "axes": {"level": "WARNING"}},
}
