"""Settings for the test suite: fast hashing, in-memory mail, no HTTPS redirects."""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-that-is-long-enough-for-django-checks")
os.environ.setdefault("TALANG_HTTPS", "false")
if os.environ.get("TALANG_TEST_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["TALANG_TEST_DATABASE_URL"]
else:
    os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")

from talang.settings.base import *  # noqa: F403
from talang.settings.base import DATABASES

# The test servers serve static files themselves; WhiteNoise wants a collected folder.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
TALANG_BASE_URL = "http://testserver"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "CRITICAL"}}

DATABASES["default"]["CONN_MAX_AGE"] = 0  # the test runner manages its connections

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # In-memory test databases ignore WAL; keep only the foreign-key pragma.
    DATABASES["default"]["OPTIONS"] = {"init_command": "PRAGMA foreign_keys=ON;"}
