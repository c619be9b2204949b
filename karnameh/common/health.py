"""``GET /healthz``: whether this process can serve, for nginx, a load balancer and monitoring.

It answers 200 with ``{"status": "ok", "database": "ok", "cache": "ok", "version": …}``, or
503 with the failing part marked ``"unavailable"``, so a load balancer takes a server whose
database or cache is gone out of rotation instead of sending people 500s.

It is a public page (no sign-in, declared ``public`` in tests/access/routes_pages.py like the
portal's index) and it costs exactly one query: it never reads the session or the user, so a
probe sends no cookie, gets none back, and loads no session row. The reason for a failure goes
to the log, never into the answer: the page is public, and a database error names hosts.
"""

import logging
import os
import secrets
from functools import cache
from importlib.metadata import PackageNotFoundError, version

from django.core.cache import cache as default_cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

OK = "ok"
UNAVAILABLE = "unavailable"
# One key per process, overwritten by each probe: a shared cache never fills with probe keys.
CACHE_KEY = f"karnameh:healthz:{os.getpid()}"
CACHE_SECONDS = 30


@cache
def release() -> str:
    """The installed package's version (``pip install .`` of pyproject.toml)."""
    try:
        return version("karnameh")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


def database_answers() -> bool:
    # A fresh cursor: a connection the database dropped fails here, not in a later request.
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("health check: the database does not answer", exc_info=True)
        return False
    return True


def cache_answers() -> bool:
    # A value written and read back: a cache that accepts writes and loses them is no cache.
    token = secrets.token_hex(8)
    try:
        default_cache.set(CACHE_KEY, token, CACHE_SECONDS)
        found = default_cache.get(CACHE_KEY)
    except Exception:  # every backend raises its own errors (socket, file, driver)
        logger.warning("health check: the cache does not answer", exc_info=True)
        return False
    if found != token:
        logger.warning("health check: the cache did not give back what was written")
        return False
    return True


@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    parts = {
        "database": OK if database_answers() else UNAVAILABLE,
        "cache": OK if cache_answers() else UNAVAILABLE,
    }
    healthy = all(state == OK for state in parts.values())
    response = JsonResponse(
        {"status": OK if healthy else UNAVAILABLE, **parts, "version": release()},
        status=200 if healthy else 503,
        json_dumps_params={"ensure_ascii": False},
    )
    # A stale "ok" from a cache between the probe and the server would hide an outage.
    response["Cache-Control"] = "no-store"
    return response
