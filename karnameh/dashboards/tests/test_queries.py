"""Each dashboard costs the same number of queries for a few agencies as for more."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from karnameh.accounts.models import User
from karnameh.cycles.models import Cycle

from .builders import approved, objection, released, running

FEW = ("AR-ED", "AR-EF", "AR-TAX")
MANY = ("AR-ED", "AR-EF", "AR-WEL", "AR-HE", "AR-CUS", "AR-RD", "AR-TAX")
PATHS = (
    "/dashboards/{cycle}/",
    "/api/v1/dashboards/{cycle}",
    "/dashboards/{cycle}/agency/AR-ED/",
    "/api/v1/dashboards/{cycle}/agency/AR-ED",
)


def queries(name: str, path: str) -> int:
    c = Client()
    c.force_login(User.objects.get(username=name))
    c.get(path)  # compiles the catalogue once per process, as a running server has
    with CaptureQueriesContext(connection) as captured:
        response = c.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries)


def cycles(*, publish: bool) -> tuple[Cycle, Cycle]:
    """A cycle of three agencies and one of seven (years apart: neither is the other's last
    year, which would add the comparison's query to one only)."""
    few = running(year=1403, agencies=FEW)
    many = running(year=1405, agencies=MANY, reviewer=User.objects.get(username="ev-results"))
    for cycle in (few, many):
        if publish:
            approved(cycle)
            released(cycle)
        else:
            objection(cycle)
    return few, many


# (who, what): the organization reads both dashboards, the agency its own.
CASES = [("staff", path) for path in PATHS] + [("agency", path) for path in PATHS[2:]]


@pytest.mark.parametrize(("name", "path"), CASES)
def test_a_running_cycles_dashboards_cost_the_same_for_3_or_7_agencies(
    demo: Any, name: str, path: str
) -> None:
    # given
    few, many = cycles(publish=False)
    # when
    small = queries(name, path.format(cycle=few.pk))
    large = queries(name, path.format(cycle=many.pk))
    # then
    assert small == large
    assert small <= 20


@pytest.mark.parametrize("path", PATHS[2:])
def test_a_released_agency_dashboard_costs_the_same_for_3_or_7_agencies(
    demo: Any, path: str
) -> None:
    # given
    few, many = cycles(publish=True)
    # when
    small = queries("agency", path.format(cycle=few.pk))
    large = queries("agency", path.format(cycle=many.pk))
    # then
    assert small == large
    assert small <= 20
