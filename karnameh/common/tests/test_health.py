"""GET /healthz: 200 when the database and the cache answer, 503 naming the part that does
not; public, one query, no cookie, never stored."""

import json
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client, override_settings

from karnameh.common.health import release

from .settings_helpers import broken_cache


def _free_port() -> int:
    # A port nothing listens on: bound and released at once, so a connection is refused.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def unreachable_database(tmp_path: Path) -> Iterator[None]:
    """The live connection is put aside and the settings point where no database is, so the
    next query really tries to connect and fails (a missing SQLite file, a PostgreSQL port
    nothing listens on). An in-memory SQLite test database dies when its connection closes,
    hence aside, not closed; both come back afterwards."""
    live = connection.connection
    saved = dict(connection.settings_dict)
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = str(tmp_path / "no-such-folder" / "db.sqlite3")
    else:
        connection.settings_dict.update(HOST="127.0.0.1", PORT=str(_free_port()))
    connection.connection = None
    try:
        yield
    finally:
        if connection.connection is not None:
            connection.connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)
        connection.connection = live


def test_a_healthy_server_answers_ok_with_one_query(db, django_assert_num_queries) -> None:
    # when
    with django_assert_num_queries(1) as queries:
        response = Client().get("/healthz")
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "version": release(),
    }
    assert queries.captured_queries[0]["sql"] == "SELECT 1"
    assert response["Cache-Control"] == "no-store"
    # no session and no CSRF token: no cookie, and nothing varies with one
    assert response.cookies == {}
    assert "Cookie" not in response.get("Vary", "")


def test_the_version_is_the_installed_package_s() -> None:
    assert release() not in ("", "unknown")


def test_a_probe_may_ask_with_head_but_not_post(db) -> None:
    # when
    head = Client().head("/healthz")
    post = Client().post("/healthz")
    # then
    assert head.status_code == 200
    assert post.status_code == 405


@pytest.mark.django_db(transaction=True)
def test_an_unreachable_database_answers_503_naming_it(tmp_path: Path, caplog) -> None:
    # given: no database where the settings point
    with unreachable_database(tmp_path):
        # when
        response = Client().get("/healthz")
    # then
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["status"] == "unavailable"
    assert body["database"] == "unavailable"
    assert body["cache"] == "ok"
    assert response["Cache-Control"] == "no-store"
    # the reason is logged, not shown to the public
    assert "the database does not answer" in caplog.text
    assert "127.0.0.1" not in response.content.decode()
    # and the database answers again once it is back
    assert Client().get("/healthz").status_code == 200


def test_a_cache_that_cannot_store_answers_503_naming_it(db, tmp_path: Path) -> None:
    # given: a file cache whose folder cannot be made (a file stands where it should be)
    broken = broken_cache(tmp_path)
    # when
    with override_settings(CACHES=broken):
        response = Client().get("/healthz")
    # then
    assert response.status_code == 503
    body = json.loads(response.content)
    assert (body["status"], body["database"], body["cache"]) == ("unavailable", "ok", "unavailable")
