"""The test suite: fast hashing, plain static storage (no collectstatic before tests)."""

from .dev import *  # noqa: F403
from .dev import STORAGES

DEBUG = False
# Fast, insecure hashing: tests only.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# Background tasks run at once in the test's own transaction: deterministic, no worker.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
