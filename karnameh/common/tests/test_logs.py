"""Structured logs (karnameh/common/logs.py): one parseable JSON object a line, with the
request's fields; LOG_FORMAT chooses it, production by default."""

import datetime as dt
import io
import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings
from gunicorn.glogging import SafeAtoms

from config.settings.base import logging_config
from karnameh.accounts.models import User
from karnameh.common.factories import UserFactory
from karnameh.common.logs import JsonFormatter

from .settings_helpers import broken_cache, run_production

Lines = Callable[[], list[dict[str, Any]]]


@pytest.fixture
def json_lines() -> Iterator[Lines]:
    """Every line logged meanwhile, through the JSON formatter, parsed; request lines on."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root, requests = logging.getLogger(), logging.getLogger("karnameh.request")
    level = requests.level
    root.addHandler(handler)
    requests.setLevel(logging.INFO)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)
        requests.setLevel(level)


def test_a_request_writes_one_json_line_with_its_fields(db, json_lines: Lines) -> None:
    # given
    user: User = UserFactory()  # type: ignore[assignment]
    client = Client()
    client.force_login(user)
    # when
    response = client.get("/accounts/password/")
    # then
    assert response.status_code == 200
    lines = [line for line in json_lines() if line["logger"] == "karnameh.request"]
    assert len(lines) == 1
    line = lines[0]
    assert line["level"] == "INFO"
    assert line["method"] == "GET"
    assert line["path"] == "/accounts/password/"
    assert line["status"] == 200
    assert line["user_id"] == user.pk
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["message"].startswith("GET /accounts/password/ 200 ")
    assert line["time"].endswith("Z")
    assert dt.datetime.fromisoformat(line["time"]).utcoffset() == dt.timedelta(0)


def test_the_request_line_costs_no_query_and_names_no_user_for_a_visitor(
    db, json_lines: Lines, django_assert_num_queries
) -> None:
    # when: the health check, which never looks at the session or the user
    with django_assert_num_queries(1):
        Client().get("/healthz")
    # then
    (line,) = [line for line in json_lines() if line["logger"] == "karnameh.request"]
    assert (line["path"], line["status"], line["user_id"]) == ("/healthz", 200, None)


def test_a_line_written_during_a_request_carries_the_request_and_the_traceback(
    db, json_lines: Lines, tmp_path
) -> None:
    # given: a cache that fails, so the health check logs a warning with the error
    broken = broken_cache(tmp_path)
    # when
    with override_settings(CACHES=broken):
        Client().get("/healthz")
    # then
    (line,) = [line for line in json_lines() if line["logger"] == "karnameh.common.health"]
    assert line["level"] == "WARNING"
    assert (line["method"], line["path"]) == ("GET", "/healthz")
    assert "Traceback" in line["exception"]
    request_line = next(line for line in json_lines() if line["logger"] == "karnameh.request")
    assert request_line["status"] == 503


def test_gunicorn_s_access_record_becomes_the_same_fields() -> None:
    # given: the record gunicorn's logger makes (its message format, its atoms)
    atoms = SafeAtoms(
        {
            "h": "127.0.0.1",
            "m": "GET",
            "U": "/public/",
            "q": "q=اردبیل",
            "s": "200",
            "B": 5120,
            "D": 12345,
            "a": 'curl "quoted"',
            "{x-forwarded-for}i": "203.0.113.9",
        }
    )
    record = logging.LogRecord(
        "gunicorn.access", logging.INFO, __file__, 1, '%(h)s "%(m)s %(U)s" %(s)s', (atoms,), None
    )
    # when
    line = json.loads(JsonFormatter().format(record))
    # then
    assert line["logger"] == "gunicorn.access"
    assert (line["method"], line["path"], line["query"]) == ("GET", "/public/", "q=اردبیل")
    assert (line["status"], line["bytes"], line["duration_ms"]) == (200, 5120, 12.3)
    assert (line["remote"], line["forwarded_for"]) == ("127.0.0.1", "203.0.113.9")
    assert line["user_agent"] == 'curl "quoted"'


def test_log_format_chooses_the_formatter() -> None:
    # when
    as_json, as_text = logging_config("json"), logging_config("text")
    # then
    assert as_json["handlers"]["console"]["formatter"] == "json"
    assert as_json["loggers"]["karnameh.request"]["level"] == "INFO"
    assert "formatter" not in as_text["handlers"]["console"]
    assert as_text["loggers"]["karnameh.request"]["level"] == "WARNING"
    with pytest.raises(ImproperlyConfigured):
        logging_config("xml")


def _production_log_format(**env: str) -> str:
    done = run_production(
        "import config.settings.prod as s; print(s.LOG_FORMAT)", unset=("LOG_FORMAT",), **env
    )
    done.check_returncode()
    return done.stdout.strip()


def test_production_logs_json_unless_told_text() -> None:
    assert _production_log_format() == "json"
    assert _production_log_format(LOG_FORMAT="text") == "text"
