"""Who opens which dashboard, page and API alike: 200, 403 for a role that sees the cycle or
agency but not its dashboard, 404 for what is outside the user's sight (another province)."""

from typing import Any

import pytest
from django.test import Client

from karnameh.accounts.models import Role, RoleAssignment, User
from karnameh.agencies.models import Agency, Province
from karnameh.audit.models import AuditEvent
from karnameh.cycles.models import Cycle, Participation

from .builders import running

# Demo user -> the status of the cycle's dashboard.
CYCLE = {
    "admin": 200,
    "staff": 200,
    "deputy": 200,
    "council": 200,
    "agency": 403,  # the cycle is published and the agency takes part: seen, not theirs
    "office": 403,
    "hq": 403,
    "evaluator": 403,  # an evaluator of the province sees the cycle
    "national": 403,
    "assessor": 404,  # an assessing body's user does not see cycles at all
}
# Demo user -> the status of AR-ED's dashboard.
AGENCY = {
    "admin": 200,
    "staff": 200,
    "deputy": 200,
    "council": 200,
    "agency": 200,
    "office": 200,
    "hq": 200,  # the headquarters of AR-ED (ED)
    "national": 403,
    "evaluator": 404,  # not assigned to AR-ED: the agency is out of sight
    "assessor": 404,
}


def client(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def ilam(role: str) -> User:
    other = User.objects.create_user(username=f"ilam-{role}", password="x")
    RoleAssignment.objects.create(user=other, role=role, province=Province.objects.get(code="ilam"))
    return other


@pytest.fixture
def cycle(demo: Any) -> Cycle:
    # Two agencies are enough to ask who may look (AR-ED submitted, AR-EF not started).
    return running(agencies=("AR-ED", "AR-EF"))


def state() -> tuple[Any, ...]:
    """Reading a dashboard changes nothing."""
    return (
        list(Participation.objects.order_by("pk").values_list("state", "version")),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize(("name", "status"), CYCLE.items())
def test_the_cycles_dashboard_is_the_organizations(
    cycle: Cycle, demo_user: Any, name: str, status: int
) -> None:
    # given
    before = state()
    c = client(demo_user(name))
    # when
    page = c.get(f"/dashboards/{cycle.pk}/")
    api = c.get(f"/api/v1/dashboards/{cycle.pk}")
    # then
    assert (page.status_code, api.status_code) == (status, status)
    if status == 200:
        assert 'data-testid="steps"' in page.content.decode()
        assert api.json()["participants"] == 2
    assert state() == before


@pytest.mark.parametrize(("name", "status"), AGENCY.items())
def test_an_agencys_dashboard_is_its_own_its_hqs_and_the_organizations(
    cycle: Cycle, demo_user: Any, name: str, status: int
) -> None:
    # given
    before = state()
    c = client(demo_user(name))
    # when
    page = c.get(f"/dashboards/{cycle.pk}/agency/AR-ED/")
    api = c.get(f"/api/v1/dashboards/{cycle.pk}/agency/AR-ED")
    # then
    assert (page.status_code, api.status_code) == (status, status)
    if status == 200:
        assert "ادارهٔ کل آموزش و پرورش استان اردبیل" in page.content.decode()
        assert api.json()["agency"] == "AR-ED"
    assert state() == before


def test_the_assigned_evaluator_sees_the_agency_but_not_its_dashboard(
    cycle: Cycle, demo_user: Any
) -> None:
    # given: ev-results is assigned to every agency of the cycle (the builder)
    c = client(demo_user("ev-results"))
    # when
    page = c.get(f"/dashboards/{cycle.pk}/agency/AR-ED/")
    api = c.get(f"/api/v1/dashboards/{cycle.pk}/agency/AR-ED")
    # then
    assert (page.status_code, api.status_code) == (403, 403)


def test_another_agency_does_not_see_ar_eds_dashboard(cycle: Cycle) -> None:
    # given
    other = User.objects.create_user(username="ef-user", password="x")
    RoleAssignment.objects.create(
        user=other, role=Role.AGENCY, agency=Agency.objects.get(code="AR-EF")
    )
    c = client(other)
    # when / then: out of sight, and its own dashboard is there
    assert c.get(f"/dashboards/{cycle.pk}/agency/AR-ED/").status_code == 404
    assert c.get(f"/api/v1/dashboards/{cycle.pk}/agency/AR-ED").status_code == 404
    assert c.get(f"/dashboards/{cycle.pk}/agency/AR-EF/").status_code == 200


@pytest.mark.parametrize("role", [Role.STAFF, Role.DEPUTY, Role.COUNCIL])
def test_another_provinces_organization_gets_404(cycle: Cycle, role: str) -> None:
    # given
    c = client(ilam(role))
    # when / then
    assert c.get(f"/dashboards/{cycle.pk}/").status_code == 404
    assert c.get(f"/api/v1/dashboards/{cycle.pk}").status_code == 404
    assert c.get(f"/dashboards/{cycle.pk}/agency/AR-ED/").status_code == 404
    assert c.get(f"/api/v1/dashboards/{cycle.pk}/agency/AR-ED").status_code == 404


def test_an_agency_not_in_the_cycle_is_404(cycle: Cycle, demo_user: Any) -> None:
    c = client(demo_user("staff"))
    assert c.get(f"/dashboards/{cycle.pk}/agency/AR-HE/").status_code == 404
    assert c.get(f"/api/v1/dashboards/{cycle.pk}/agency/AR-HE").status_code == 404
    assert c.get("/dashboards/999999/").status_code == 404


def test_a_visitor_is_sent_to_sign_in(cycle: Cycle) -> None:
    page = Client().get(f"/dashboards/{cycle.pk}/")
    assert page.status_code == 302 and "/accounts/login/" in page["Location"]
    assert Client().get(f"/api/v1/dashboards/{cycle.pk}").status_code == 401
