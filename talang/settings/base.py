"""Talang's settings: everything comes from environment variables.

A bad value stops start-up with one line naming the variable (see talang/lib/env.py).
"""

from pathlib import Path

from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

from talang.lib.env import (
    SettingError,
    env_bool,
    env_cache,
    env_database,
    env_email,
    env_email_address,
    env_imap,
    env_int,
    env_list,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("TALANG_VAR_DIR") or BASE_DIR / "var")

DEBUG = env_bool("DEBUG", False)
TALANG_DEMO = env_bool("TALANG_DEMO", False)
# `make bench` only: mounts the baseline view /bench/bare (talang/bench/).
TALANG_BENCH = env_bool("TALANG_BENCH", False)


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        if len(key) < 32 and not (DEBUG or TALANG_DEMO):
            raise SettingError("SECRET_KEY", "must be at least 32 characters long")
        return key
    if not (DEBUG or TALANG_DEMO):
        raise SettingError("SECRET_KEY", "is required unless TALANG_DEMO or DEBUG is set")
    # A demo keeps its own random key so that sessions survive a restart.
    from django.core.management.utils import get_random_secret_key

    path = VAR_DIR / "demo-secret-key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(get_random_secret_key())
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
TALANG_BASE_URL = (env_str("TALANG_BASE_URL") or "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "talang.accounts",
    "talang.contacts",
    "talang.guidance",
    "talang.reporting",
    "talang.outreach",
    "talang.intake",
    "talang.privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "talang.accounts.middleware.StaffLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "talang.accounts.middleware.ContentSecurityPolicyMiddleware",
    "talang.api.middleware.IntakeBodyLimitMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "talang.urls"
WSGI_APPLICATION = "talang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "talang" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "talang.accounts.context_processors.talang",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'talang.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
CACHES = {"default": env_cache("CACHE_URL", "locmem://")}

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

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
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = env_int("TALANG_PASSWORD_RESET_HOURS", 24, minimum=1) * 3600
TALANG_INVITATION_DAYS = env_int("TALANG_INVITATION_DAYS", 7, minimum=1)

# Sessions end after this much inactivity: every request renews the cookie.
SESSION_COOKIE_AGE = env_int("TALANG_SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# django-axes: lock an account after repeated failures from anywhere, and an address
# after repeated failures on any accounts (credential stuffing).
AXES_FAILURE_LIMIT = env_int("TALANG_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("TALANG_LOGIN_LOCKOUT_MINUTES", 15, minimum=1) / 60
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_FORM_FIELD = "email"
AXES_USERNAME_CALLABLE = "talang.accounts.signin.axes_username"
AXES_LOCKOUT_CALLABLE = "talang.accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False  # its log lines would carry the e-mail address
# Behind a reverse proxy the client is read from X-Forwarded-For (talang/lib/clients.py).
TALANG_PROXY_COUNT = env_int("TALANG_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "talang.lib.clients.client_address"
# Never store what was typed into the sign-in forms with a failed attempt.
AXES_SENSITIVE_PARAMETERS = ["password", "email", "code"]

OTP_TOTP_ISSUER = "Talang"
TALANG_RECOVERY_CODES = 10

# The API refuses a client after this many bad tokens in a window (429).
TALANG_API_FAILURE_LIMIT = env_int("TALANG_API_FAILURE_LIMIT", 20, minimum=1)
TALANG_API_FAILURE_WINDOW = env_int("TALANG_API_FAILURE_WINDOW_SECONDS", 300, minimum=1)

LANGUAGE_CODE = "sv"
# Staff pages are in Swedish and English; the public forms and e-mails also in German and Dutch.
LANGUAGES = [("sv", _("Swedish")), ("en", _("English")), ("de", _("German")), ("nl", _("Dutch"))]
TALANG_STAFF_LANGUAGES = ["sv", "en"]
LANGUAGE_COOKIE_NAME = "talang_language"
LANGUAGE_COOKIE_SECURE = not (DEBUG or TALANG_DEMO)
LANGUAGE_COOKIE_SAMESITE = "Lax"
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "talang" / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT") or VAR_DIR / "static")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Source maps are fetched only by a developer's browser tools: compressing the large ones of
# the API documentation pages made collectstatic (run by every start) take half a minute.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or VAR_DIR / "media")

globals().update(env_email("EMAIL_URL", f"file://{VAR_DIR / 'outbox'}"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL") or "Talang <talang@localhost>"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_SUBJECT_PREFIX = "[Talang] "

# E-mail into the contact card: guides put the drop address in Bcc or forward replies to it;
# the worker reads its mailbox over IMAP (talang/guidance/mailbox.py). Empty = no polling.
TALANG_IMAP = env_imap("TALANG_IMAP_URL")
TALANG_DROP_ADDRESS = env_email_address("TALANG_DROP_ADDRESS")
# The authserv-id of the mail server that receives the drop address and writes its SPF, DKIM
# and DMARC results in an Authentication-Results header (RFC 8601). When set, a message whose
# sender that server did not verify is never put on a card on its own: it waits in the inbox.
TALANG_MAIL_AUTHSERV_ID = (env_str("TALANG_MAIL_AUTHSERV_ID", "") or "").strip().lower()

# Behind a TLS-terminating proxy (the production set-up in docs/operations.md).
_https = not (DEBUG or TALANG_DEMO) and env_bool("TALANG_HTTPS", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if _https else None
SECURE_SSL_REDIRECT = _https
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SECURE_HSTS_SECONDS = env_int("TALANG_HSTS_SECONDS", 31536000 if _https else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _https
SECURE_HSTS_PRELOAD = _https
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"

DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("TALANG_MAX_BODY_BYTES", 256 * 1024, minimum=1024)

# The public forms and the registration API.
TALANG_INTAKE_MAX_BODY_BYTES = env_int("TALANG_INTAKE_MAX_BODY_BYTES", 64 * 1024, minimum=1024)
TALANG_INTAKE_RATE_LIMIT = env_int("TALANG_INTAKE_RATE_LIMIT", 20, minimum=1)
TALANG_INTAKE_RATE_WINDOW = env_int("TALANG_INTAKE_RATE_WINDOW_SECONDS", 600, minimum=1)
TALANG_FORM_MIN_SECONDS = env_int("TALANG_FORM_MIN_SECONDS", 3)
# Proof of work (ALTCHA) on the public forms and the registration API: the largest number the
# browser may have to try (the work grows with it). 0 turns it off.
TALANG_ALTCHA_MAX_NUMBER = env_int("TALANG_ALTCHA_MAX_NUMBER", 0, maximum=10_000_000)
# A household's link to its own data (/my-data/…) works this many days; a new one can be
# asked for at /my-data/ with the e-mail address.
TALANG_SELF_SERVICE_LINK_DAYS = env_int(
    "TALANG_SELF_SERVICE_LINK_DAYS", 90, minimum=1, maximum=3650
)
# Sites allowed to show the public forms in an iframe (CSP frame-ancestors).
TALANG_EMBED_ORIGINS = env_list("TALANG_EMBED_ORIGINS", ["https:"])

# The move status review lists households in dialogue without an update for this many months.
TALANG_MOVE_REVIEW_MONTHS = env_int("TALANG_MOVE_REVIEW_MONTHS", 12, minimum=1, maximum=120)

# Logs carry no personal data: messages name ids and kinds, never people.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL") or "INFO"},
    "loggers": {
        # Django's request logger prints the URL and would print request data on errors.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # WeasyPrint logs each step of a PDF and fontTools each glyph it subsets at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
