"""Reads from the replica (DATABASE_REPLICA_URL): the portal and the report pages, and nothing
that must be current (sessions, users, roles, the audit trail), and never a write.

The test settings name a ``replica`` alias on the test database itself, and these tests turn
the router on, as the settings do when DATABASE_REPLICA_URL is set. The data is committed
(``transaction=True``): the replica's connection is a second connection, which sees only
committed rows, as a real replica does.
"""

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.db import connections
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from karnameh.accounts.models import RoleAssignment, User
from karnameh.audit.models import AuditEvent
from karnameh.common.replica import ReplicaRouter, replica_reads
from karnameh.common.templatetags.fa import fa
from karnameh.cycles.tests.builders import open_cycle
from karnameh.portal.tests.builders import released
from karnameh.reports.tests.test_province import approve, person
from karnameh.results.models import Release, Result
from karnameh.results.tests.builders import evaluate

ROUTER = "karnameh.common.replica.ReplicaRouter"
REPLICA_DB = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


def _routed(method: str, model: Any) -> tuple[str, str]:
    """Where a marked view's read and write of ``model`` go."""

    @replica_reads
    def view(request: Any) -> tuple[str, str]:
        router = ReplicaRouter()
        return router.db_for_read(model), router.db_for_write(model)

    return view(RequestFactory().generic(method, "/"))


def test_a_marked_page_reads_results_from_the_replica_and_writes_to_the_primary() -> None:
    assert _routed("GET", Result) == ("replica", "default")
    assert _routed("HEAD", Release) == ("replica", "default")


@pytest.mark.parametrize("model", [Session, User, RoleAssignment, AuditEvent])
def test_sessions_users_roles_and_the_audit_trail_are_read_from_the_primary(model: Any) -> None:
    assert _routed("GET", model) == ("default", "default")


def test_a_post_and_an_unmarked_page_read_from_the_primary() -> None:
    assert _routed("POST", Result) == ("default", "default")
    assert ReplicaRouter().db_for_read(Result) == "default"


def test_migrations_run_on_the_primary_only() -> None:
    router = ReplicaRouter()
    assert router.allow_migrate("default", "results")
    assert not router.allow_migrate("replica", "results")


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
