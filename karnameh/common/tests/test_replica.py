"""Reads from the replica (DATABASE_REPLICA_URL): the portal and the report pages, and nothing
that must be current (sessions, users, roles, the audit trail), and never a write.

The test settings name a ``replica`` alias on the test database itself, and these tests turn
the router on, as the settings do when DATABASE_REPLICA_URL is set. The data is committed
(``transaction=True``): the replica's connection is a second connection, which sees only
committed rows, as a real replica does.
"""

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.db import connections
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from karnameh.accounts.models import RoleAssignment, User
from karnameh.audit.models import AuditEvent
from karnameh.common.replica import ROUTER, ReplicaRouter, _down_until, replica_reads
from karnameh.common.templatetags.fa import fa
from karnameh.cycles.tests.builders import open_cycle
from karnameh.portal.tests.builders import released
from karnameh.reports.tests.test_province import approve, person
from karnameh.results.models import Release, Result
from karnameh.results.tests.builders import evaluate

ROOT = Path(__file__).resolve().parents[3]
REPLICA_DB = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


ROUTED = pytest.mark.django_db(databases=["default", "replica"])
pytestmark = pytest.mark.usefixtures("fresh_cache")  # the portal's pages built anew


@pytest.fixture
def routed(settings: Any) -> None:
    """The router on, as the settings turn it on with DATABASE_REPLICA_URL."""
    settings.DATABASE_ROUTERS = [ROUTER]


def _routed(method: str, model: Any) -> tuple[str, str]:
    """Where a marked view's read and write of ``model`` go."""

    @replica_reads
    def view(request: Any) -> tuple[str, str]:
        router = ReplicaRouter()
        return router.db_for_read(model), router.db_for_write(model)

    return view(RequestFactory().generic(method, "/"))


@ROUTED
def test_a_marked_page_reads_results_from_the_replica_and_writes_to_the_primary(
    routed: None,
) -> None:
    assert _routed("GET", Result) == ("replica", "default")
    assert _routed("HEAD", Release) == ("replica", "default")


@ROUTED
@pytest.mark.parametrize("model", [Session, User, RoleAssignment, AuditEvent])
def test_sessions_users_roles_and_the_audit_trail_are_read_from_the_primary(
    routed: None, model: Any
) -> None:
    assert _routed("GET", model) == ("default", "default")


@ROUTED
def test_a_post_and_an_unmarked_page_read_from_the_primary(routed: None) -> None:
    assert _routed("POST", Result) == ("default", "default")
    assert ReplicaRouter().db_for_read(Result) == "default"


def test_migrations_run_on_the_primary_only() -> None:
    router = ReplicaRouter()
    assert router.allow_migrate("default", "results")
    assert not router.allow_migrate("replica", "results")


@pytest.fixture
def replica_down() -> Iterator[None]:
    """The replica's connection pointed where no database answers."""
    replica = connections["replica"]
    kept, open_one = replica.settings_dict, replica.connection
    if replica.vendor == "sqlite":
        # Django never closes an in-memory database's connection: set it aside instead.
        replica.connection = None
        replica.settings_dict = {**kept, "NAME": "/nonexistent/karnameh/replica.sqlite3"}
    else:
        replica.close()
        replica.settings_dict = {**kept, "HOST": "127.0.0.1", "PORT": "1"}
    yield
    _down_until[0] = 0.0  # the next test's replica answers again
    replica.settings_dict = kept
    if replica.vendor == "sqlite":
        replica.connection = open_one


def _queries(client: Client, path: str) -> tuple[Any, int, int]:
    """The answer, and how many queries it sent to the primary and to the replica."""
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        response = client.get(path)
    return response, len(primary), len(replica)


@REPLICA_DB
def test_the_portal_is_served_from_the_replica_alone(demo: Any, settings: Any) -> None:
    # given: a released cycle, and the replica configured
    cycle = released(1403, {"AR-ED": (82.5, 510, 320), "AR-WEL": (61.25, 400, 180)})
    settings.DATABASE_ROUTERS = [ROUTER]
    # when: an anonymous visitor opens the ranking, on the page and through the API
    page, page_primary, page_replica = _queries(Client(), f"/public/{cycle.pk}/")
    api, api_primary, api_replica = _queries(Client(), f"/api/v1/public/{cycle.pk}")
    # then: both show the released ranking, every row read from the replica
    assert page.status_code == 200 and fa(Decimal("82.5")) in page.text
    assert [row["agency"] for row in api.json()["ranking"]] == ["AR-ED", "AR-WEL"]
    assert (page_primary, api_primary) == (0, 0)
    assert page_replica > 0 and api_replica > 0


@REPLICA_DB
def test_a_report_reads_its_figures_from_the_replica_and_its_reader_from_the_primary(
    demo: Any, settings: Any
) -> None:
    # given: a province cycle approved by the deputy, and the replica configured
    cycle = open_cycle()
    evaluate(cycle)
    approve(cycle)
    settings.DATABASE_ROUTERS = [ROUTER]
    client = Client()
    client.force_login(person("staff"))
    # when: the organization's staff opens the province report
    response, primary, replica = _queries(client, f"/reports/{cycle.pk}/province/")
    # then: the report is shown; the session and the user with the roles came from the
    # primary (two queries), everything the report shows from the replica
    assert response.status_code == 200
    assert cycle.province.name in response.text
    assert primary == 2
    assert replica > 2


@REPLICA_DB
def test_without_the_router_every_read_goes_to_the_primary(demo: Any) -> None:
    # given: a released cycle, and no replica configured (no DATABASE_REPLICA_URL)
    cycle = released(1403, {"AR-ED": (82.5, 510, 320)})
    # when
    response, primary, replica = _queries(Client(), f"/public/{cycle.pk}/")
    # then
    assert response.status_code == 200 and "AR-ED" in response.text
    assert primary > 0 and replica == 0


@REPLICA_DB
def test_a_replica_that_does_not_answer_is_skipped_and_the_primary_serves_the_page(
    demo: Any, settings: Any, replica_down: None, caplog: Any
) -> None:
    # given: a released cycle, the replica configured but unreachable
    cycle = released(1403, {"AR-ED": (82.5, 510, 320)})
    settings.DATABASE_ROUTERS = [ROUTER]
    # when: a visitor opens the ranking, and another one its API a moment later
    with (
        caplog.at_level("WARNING", logger="karnameh.common.replica"),
        CaptureQueriesContext(connections["default"]) as primary,
    ):
        response = Client().get(f"/public/{cycle.pk}/")
        api = Client().get(f"/api/v1/public/{cycle.pk}")
    # then: both are shown, read from the primary; the log says why, once: the second
    # request did not try the replica again
    assert response.status_code == 200 and fa(Decimal("82.5")) in response.text
    assert [row["agency"] for row in api.json()["ranking"]] == ["AR-ED"]
    assert len(primary) > 0 and connections["replica"].connection is None
    assert caplog.text.count("replica unreachable") == 1


def _settings_with(environment: dict[str, str]) -> dict[str, Any]:
    """The databases and routers the development settings make of ``environment``."""
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps({'databases': settings.DATABASES, "
        "'routers': settings.DATABASE_ROUTERS}, default=str))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATABASE_")}
    env.update(environment, DJANGO_SETTINGS_MODULE="config.settings.dev")
    done = subprocess.run(  # noqa: S603 (this interpreter, a fixed script)
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, check=True
    )
    return json.loads(done.stdout)


def test_the_settings_add_the_replica_and_its_router_only_when_it_is_named() -> None:
    primary = "postgres://karnameh@10.0.0.11:5432/karnameh"
    named = _settings_with(
        {"DATABASE_URL": primary, "DATABASE_REPLICA_URL": primary.replace("11", "12")}
    )
    replica = named["databases"]["replica"]
    assert (replica["HOST"], replica["NAME"]) == ("10.0.0.12", "karnameh")
    assert replica["OPTIONS"] == {**named["databases"]["default"]["OPTIONS"], "connect_timeout": 2}
    assert replica["CONN_HEALTH_CHECKS"] is True
    assert named["routers"] == [ROUTER]
    alone = _settings_with({"DATABASE_URL": primary})
    assert "replica" not in alone["databases"] and alone["routers"] == []
