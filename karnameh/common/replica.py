"""Reads from a PostgreSQL replica for the public portal and the report pages.

Off unless ``DATABASE_REPLICA_URL`` names a streaming replica of ``DATABASE_URL``: the settings
then add the database alias ``replica`` and ``ReplicaRouter``. A view marked ``@replica_reads``
(the portal's pages and API, the report card and province report pages) reads the published
results and the cycles, agencies and catalogues from the replica while it runs on a GET; every
write goes to the primary, and so does every read of what must never be a moment old:

- sessions, users, roles and API tokens (a sign-out or a withdrawn role counts at once),
- the audit trail and the task queue.

A replica that cannot be reached is skipped for half a minute: the pages read from the
primary, and the log says so ("replica unreachable"), so publication day does not depend on it.

A replica lags the primary by a moment. The portal keys its cache by the release generation
read from the same replica, so a page is never cached as a mix of two generations; a report
opened within that moment of a change shows the state before it (the primary's next read
shows the change).
"""

import logging
import time
from collections.abc import Callable
from contextvars import ContextVar
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.db import OperationalError, connections
from django.http import HttpRequest

REPLICA = "replica"
PRIMARY = "default"
# Apps whose reads stay on the primary even in a marked view.
PRIMARY_ONLY = frozenset(
    {"accounts", "admin", "audit", "auth", "contenttypes", "django_tasks_database", "sessions"}
)
_READING: ContextVar[bool] = ContextVar("karnameh_replica_reads", default=False)
ROUTER = "karnameh.common.replica.ReplicaRouter"
logger = logging.getLogger(__name__)

V = TypeVar("V", bound=Callable[..., Any])


def replica_reads(view: V) -> V:
    """Run a GET (or HEAD) of ``view`` with its reads on the replica, when there is one."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.method not in ("GET", "HEAD") or not _replica_up():
            return view(request, *args, **kwargs)
        token = _READING.set(True)
        try:
            return view(request, *args, **kwargs)
        finally:
            _READING.reset(token)

    return wrapped  # type: ignore[return-value]


# After a failed attempt the process leaves the replica alone this long (seconds): a replica
# that does not answer costs one connection timeout (2 s, config/settings/base.py) a process
# every half minute, not one on every page.
RETRY_AFTER = 30.0
_down_until = [0.0]


def _replica_up() -> bool:
    """Whether the replica is configured and answers: a connection kept from an earlier
    request is checked first (``conn_health_checks``), as Django checks the primary's."""
    if ROUTER not in settings.DATABASE_ROUTERS or time.monotonic() < _down_until[0]:
        return False
    replica = connections[REPLICA]
    try:
        replica.close_if_health_check_failed()
        replica.ensure_connection()
    except OperationalError as error:
        _down_until[0] = time.monotonic() + RETRY_AFTER
        logger.warning(
            "replica unreachable, reading from the primary for %.0f s: %s", RETRY_AFTER, error
        )
        return False
    return True


class ReplicaRouter:
    """In ``DATABASE_ROUTERS`` only when the replica is configured (config/settings/base.py)."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        if _READING.get() and model._meta.app_label not in PRIMARY_ONLY:
            return REPLICA
        return PRIMARY

    def db_for_write(self, model: Any, **hints: Any) -> str:
        # Always named: left to Django, a row read from the replica would be saved back there.
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # one database and its copy

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY  # the replica follows the primary's schema by itself
