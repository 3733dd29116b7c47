"""Fast settings for the test suite. DATABASE_URL selects PostgreSQL; otherwise SQLite."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES, env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = env("TEST_MEDIA_ROOT", default=os.path.join(tempfile.gettempdir(), "govworks-test-media"))
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
if DATABASES["default"]["ENGINE"] == "govworks.core.db.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}  # in-memory per xdist worker
# the read replica (docs/adr/0007) is a test mirror of default: same database, its own connection
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
# a fixed test key (never used outside tests), read from the environment like a production "env:" source
os.environ.setdefault(
    "GOVWORKS_TEST_AUDIT_KEYS",
    '{"current": "test-1", "keys": {"test-1": "' + "5a" * 32 + '"}}',
)
AUDIT_CHAIN_KEY_SOURCE = "env:GOVWORKS_TEST_AUDIT_KEYS"
os.environ.setdefault(
    "GOVWORKS_TEST_FIELD_KEYS",
    '{"current": "ftest-1", "keys": {"ftest-1": "' + "3c" * 32 + '"}}',
)
FIELD_ENCRYPTION_KEY_SOURCE = "env:GOVWORKS_TEST_FIELD_KEYS"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}

# whitenoise looks for STATIC_ROOT at start-up; tests serve static files through the finders instead
STATIC_ROOT = Path(tempfile.gettempdir()) / "govworks-test-static"
os.makedirs(STATIC_ROOT, exist_ok=True)
WHITENOISE_USE_FINDERS = True
