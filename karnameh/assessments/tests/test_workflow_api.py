"""The workflow's API (/api/v1/assessments/): transitions (JSON and multipart), extensions,
the cycle's list."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from karnameh.assessments.selectors import workspace
from karnameh.audit.models import AuditEvent
from karnameh.cycles.models import AssessmentState as S
from karnameh.cycles.tests.builders import after_step, open_cycle, participation, step_day
from karnameh.files.tests.corpus import pdf

from .test_transitions import at_state, snapshot


@pytest.fixture
def cycle(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return open_cycle()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def act(client, cycle, name, body=None, **extra):
    return client.post(
        f"/api/v1/assessments/{cycle.pk}/AR-ED/transitions/{name}",
        body or {},
        content_type="application/json",
        **extra,
    )


def test_submit_returns_state_version_and_receipt_once_per_key(cycle, demo_user):
    client = client_for(demo_user("agency"))
    with time_machine.travel(step_day(cycle, 6), tick=False):
        first = act(client, cycle, "submit", {"version": 0}, HTTP_IDEMPOTENCY_KEY="a1")
        again = act(client, cycle, "submit", {"version": 0}, HTTP_IDEMPOTENCY_KEY="a1")
    assert first.status_code == 200 and again.status_code == 200
    assert first.json()["state"] == S.SUBMITTED and first.json()["version"] == 1
    assert again.json()["receipt"] == first.json()["receipt"] and again.json()["replayed"]
    assert AuditEvent.objects.filter(action="assessment.submit").count() == 1


def test_refusals_are_403_404_409_and_400_and_change_nothing(cycle, demo_user):
    p = at_state(participation(cycle, "AR-ED"), S.SUBMITTED)
    before = snapshot(p)
    with time_machine.travel(step_day(cycle, 6), tick=False):
        forbidden = act(client_for(demo_user("deputy")), cycle, "withdraw", {"reason": "x"})
        unseen = act(client_for(demo_user("assessor")), cycle, "withdraw", {"reason": "x"})
        stale = act(
            client_for(demo_user("agency")), cycle, "withdraw", {"version": 9, "reason": "x"}
        )
        wrong = act(client_for(demo_user("agency")), cycle, "submit", {})
        no_reason = act(client_for(demo_user("agency")), cycle, "withdraw", {"reason": ""})
        junk = act(client_for(demo_user("agency")), cycle, "withdraw", {"reasn": "x"})
    assert forbidden.status_code == 403 and forbidden.json()["code"] == "forbidden"
    assert unseen.status_code == 404 and unseen.json()["code"] == "not_found"
    assert stale.status_code == 409 and stale.json()["code"] == "stale"
    assert wrong.status_code == 409 and wrong.json()["code"] == "bad_state"
    assert no_reason.status_code == 400 and no_reason.json()["detail"]
    assert junk.status_code == 400 and junk.json()["code"] == "invalid"
    assert snapshot(p) == before


def test_the_council_approval_takes_the_minutes_as_multipart(cycle, demo_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    p = at_state(participation(cycle, "AR-ED"), S.SUBMITTED)
    with time_machine.travel(step_day(cycle, 6), tick=False):
        response = client_for(demo_user("office")).post(
            f"/api/v1/assessments/{cycle.pk}/AR-ED/transitions/office_approve",
            {"version": p.version, "minutes": SimpleUploadedFile("minutes.pdf", pdf())},
        )
    assert response.status_code == 200, response.content
    p.refresh_from_db()
    assert p.state == S.OFFICE_APPROVED and p.office_minutes is not None


def test_staff_extend_through_the_api(cycle, demo_user):
    p = participation(cycle, "AR-ED")
    url = f"/api/v1/assessments/{cycle.pk}/AR-ED/extension"
    with time_machine.travel(after_step(cycle, 6), tick=False):
        refused = client_for(demo_user("agency")).post(
            url, {"until": "2024-07-20T12:00:00", "reason": "x"}, content_type="application/json"
        )
        done = client_for(demo_user("staff")).post(
            url, {"until": "2024-07-20T12:00:00", "reason": "سیل"}, content_type="application/json"
        )
    assert refused.status_code == 403
    assert done.status_code == 200
    p.refresh_from_db()
    # A time without an offset is Tehran's: 12:00 there is 08:30 UTC.
    assert p.extended_until == dt.datetime(2024, 7, 20, 8, 30, tzinfo=dt.UTC)


def test_the_cycle_list_through_the_api(cycle, demo_user):
    at_state(participation(cycle, "AR-EF"), S.TRANSFERRED)
    client = client_for(demo_user("staff"))
    rows = client.get(f"/api/v1/assessments/{cycle.pk}/").json()
    only = client.get(f"/api/v1/assessments/{cycle.pk}/?state=transferred").json()
    assert [r["agency"] for r in rows] == ["AR-ED", "AR-EF", "AR-TAX", "AR-WEL"]
    # Gauges the organization scores at the end count as done, as in the workspace.
    space = workspace(participation(cycle, "AR-ED"))
    assert (rows[0]["answered"], rows[0]["total"]) == (space.answered, space.total)
    assert [r["agency"] for r in only] == ["AR-EF"]
    assert (
        client_for(demo_user("agency")).get(f"/api/v1/assessments/{cycle.pk}/").status_code == 403
    )
    assert client.get(f"/api/v1/assessments/{cycle.pk}/?state=nope").status_code == 400
