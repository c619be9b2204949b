"""The test suite: fast hashing, plain static storage (no collectstatic before tests)."""

from .dev import *  # noqa: F403
from .dev import DATABASES, STORAGES

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
# A replica's alias on the test database itself (as a streaming replica holds the same rows),
# so karnameh/common/tests/test_replica.py can turn its router on; off otherwise, as in
# production without DATABASE_REPLICA_URL.
DATABASES.setdefault("replica", {**DATABASES["default"], "TEST": {"MIRROR": "default"}})
