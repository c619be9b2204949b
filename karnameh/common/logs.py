"""Structured logs: one JSON object a line, for a log collector (``LOG_FORMAT=json``).

Every line has ``time`` (UTC, ISO 8601), ``level``, ``logger`` and ``message``; a line written
while a request is served also has its ``method`` and ``path``, and the request's own line
(``RequestLogMiddleware``, logger ``karnameh.request``) adds ``status``, ``user_id`` and
``duration_ms``. Gunicorn's access lines (``deploy/gunicorn.conf.py``) go through the same
formatter and carry the same names, plus the client's address, bytes sent and user agent.
A traceback goes in ``exception``; values passed with ``extra=`` are kept as fields.

This module is imported by gunicorn's master process (before Django is set up) as well as by
the settings, so it imports nothing from Django at module level but the request and response
types.
"""

import datetime as dt
import json
import logging
import time
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest, HttpResponseBase
from django.utils.functional import empty

# The request being served in this thread: its fields go on every line written meanwhile.
_REQUEST: ContextVar[dict[str, Any] | None] = ContextVar("karnameh_request", default=None)

# What every LogRecord has; anything else on a record came from ``extra=`` and is kept.
_STANDARD = frozenset(vars(logging.makeLogRecord({}))) | {
    "message",
    "asctime",
    "taskName",
    # Django's own extras: the request object and the status are turned into fields below.
    "request",
    "status_code",
    "server_time",
}


def _utc(created: float) -> str:
    moment = dt.datetime.fromtimestamp(created, tz=dt.UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _gunicorn_access(atoms: Mapping[str, Any]) -> dict[str, Any]:
    """Fields of gunicorn's access record, whose arguments are its log atoms (glogging)."""

    def atom(key: str) -> Any:
        value = atoms.get(key)
        if isinstance(value, str):
            # gunicorn escapes quotes for its text format; JSON escapes them itself.
            value = value.replace('\\"', '"')
        return None if value in (None, "-") else value

    status = atom("s")
    duration = atom("D")  # microseconds
    sent = atom("B")
    return {
        "method": atom("m"),
        "path": atom("U"),
        "query": atom("q") or None,
        "status": int(status) if str(status).isdigit() else status,
        "duration_ms": round(duration / 1000, 1) if isinstance(duration, int) else None,
        "bytes": sent if isinstance(sent, int) else None,
        "remote": atom("h"),
        "forwarded_for": atom("{x-forwarded-for}i"),
        "user_agent": atom("a"),
    }


def _request_fields(record: logging.LogRecord) -> dict[str, Any]:
    if record.name == "gunicorn.access" and isinstance(record.args, Mapping):
        return _gunicorn_access(record.args)
    found: dict[str, Any] = {}
    request = getattr(record, "request", None)
    # django.request gives the HttpRequest; django.server a socket handler (no method).
    if isinstance(request, HttpRequest):
        found["method"] = request.method
        found["path"] = request.path
    status = getattr(record, "status_code", None)
    if isinstance(status, int):
        found["status"] = status
    return found


class JsonFormatter(logging.Formatter):
    """One JSON object a line; never raises on a value JSON cannot hold (it is written as
    text), so a log line is never lost to a formatting error."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": _utc(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(_REQUEST.get() or {})
        entry.update((k, v) for k, v in _request_fields(record).items() if v is not None)
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_") and key not in entry:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        # Persian text stays readable in the log (ensure_ascii off); the line is UTF-8.
        return json.dumps(entry, ensure_ascii=False, default=str)


def user_id(request: HttpRequest) -> int | None:
    """The signed-in user's id, if the request already looked the user up: asking here would
    cost a session read and a user query on requests that never needed them (the health
    check, the portal)."""
    user = getattr(request, "user", None)
    wrapped = getattr(user, "_wrapped", user)
    if wrapped is None or wrapped is empty or not getattr(wrapped, "is_authenticated", False):
        return None
    pk = getattr(wrapped, "pk", None)
    return pk if isinstance(pk, int) else None


class RequestLogMiddleware:
    """First in MIDDLEWARE: one line per request on logger ``karnameh.request``, timed around
    everything else, and the request's method and path on every line written while it runs.

    The line is written at INFO whatever the status (the status is a field; Django's own
    ``django.request`` logger still reports 4xx and 5xx with their detail). In plain-text
    logs the logger is set to WARNING (config/settings/base.py), as gunicorn's access log
    already shows each request there."""

    logger = logging.getLogger("karnameh.request")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        start = time.perf_counter()
        token = _REQUEST.set({"method": request.method, "path": request.path})
        try:
            response = self.get_response(request)
            if self.logger.isEnabledFor(logging.INFO):
                duration = round((time.perf_counter() - start) * 1000, 1)
                self.logger.info(
                    "%s %s %s %s ms",
                    request.method,
                    request.path,
                    response.status_code,
                    duration,
                    extra={
                        "status": response.status_code,
                        "user_id": user_id(request),
                        "duration_ms": duration,
                    },
                )
            return response
        finally:
            _REQUEST.reset(token)
