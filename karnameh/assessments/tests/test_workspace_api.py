"""The self-assessment API: the same services as the workspace pages."""

import pytest
import time_machine
from django.test import Client

from karnameh.assessments.models import Answer
from karnameh.audit.models import AuditEvent
from karnameh.cycles.tests.builders import after_step, open_cycle, step_day

ANSWER = {"data": {"fields": {"received": "۲۰۰", "handled": 119}}, "comment": "", "version": 0}


@pytest.fixture
def cycle(demo):
    return open_cycle()


@pytest.fixture
def inside(cycle):
    with time_machine.travel(step_day(cycle, 6), tick=False):
        yield


def client_for(demo_user, name: str) -> Client:
    client = Client()
    client.force_login(demo_user(name))
    return client


def base(cycle, agency: str = "AR-ED") -> str:
    return f"/api/v1/assessments/{cycle.pk}/{agency}"


def put(client, cycle, body=ANSWER, key=None, gauge="6.4.1"):
    headers = {"Idempotency-Key": key} if key else {}
    return client.put(
        f"{base(cycle)}/general/{gauge}",
        data=body,
        content_type="application/json",
        headers=headers,
    )


def test_put_saves_scores_and_get_reads_it_back(cycle, inside, demo_user):
    # given
    client = client_for(demo_user, "agency")
    # when
    saved = put(client, cycle)
    gauge = client.get(f"{base(cycle)}/general/6.4.1")
    listing = client.get(f"{base(cycle)}/")
    # then
    assert saved.status_code == 200
    assert saved.json()["version"] == 1 and saved.json()["score"] == "3.50"
    body = gauge.json()
    assert body["answer"] == {"fields": {"received": 200, "handled": 119}}
    assert body["score"] == 3.5 and body["version"] == 1 and body["status"] == "scored"
    assert "۵۹٫۵" in body["explanation"]
    workspace = listing.json()
    assert workspace["state"] == "draft" and workspace["total"] == 100
    assert workspace["locked"] is None and workspace["deadline_label"] == "۱۴۰۳/۰۴/۱۲"
    row = next(g for g in workspace["gauges"] if g["code"] == "6.4.1")
    assert row["score"] == 3.5 and row["version"] == 1
    assert len(workspace["axes"]) == 7


def test_a_retried_put_with_the_same_key_is_applied_once(cycle, inside, demo_user):
    client = client_for(demo_user, "agency")
    first = put(client, cycle, key="retry-1")
    again = put(client, cycle, key="retry-1")
    assert first.status_code == again.status_code == 200
    assert again.json()["replayed"] is True and again.json()["version"] == 1
    assert AuditEvent.objects.filter(action="answer.save").count() == 1


def test_a_put_on_an_old_version_is_a_409_with_both_answers(cycle, inside, demo_user):
    # given: version 1 saved by the agency user
    put(client_for(demo_user, "agency"), cycle)
    # when: the office saves on version 0
    mine = {"data": {"fields": {"received": 10, "handled": 1}}, "version": 0}
    response = put(client_for(demo_user, "office"), cycle, body=mine)
    # then
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "conflict" and body["detail"]
    assert body["theirs"]["data"]["fields"]["received"] == 200 and body["theirs"]["version"] == 1
    assert body["mine"]["data"]["fields"]["received"] == 10
    assert Answer.objects.get().version == 1


def test_bad_input_is_a_400_naming_the_figure_and_nothing_is_saved(cycle, inside, demo_user):
    client = client_for(demo_user, "agency")
    response = put(client, cycle, body={"data": {"fields": {"received": "دویست"}}, "version": 0})
    assert response.status_code == 400 and "۶.۴.۱" in response.json()["detail"]
    assert not Answer.objects.exists()


def test_readers_get_403_on_put_and_strangers_404(cycle, inside, demo_user):
    hq = client_for(demo_user, "hq")
    assert hq.get(f"{base(cycle)}/").status_code == 200
    assert put(hq, cycle).status_code == 403
    other = client_for(demo_user, "agency")
    assert other.get(f"{base(cycle, 'AR-EF')}/").status_code == 404
    assert other.get(f"{base(cycle)}/general/9.9.9").status_code == 404
    assert not Answer.objects.exists()


def test_after_the_deadline_a_put_is_refused_with_the_reason(cycle, demo_user):
    with time_machine.travel(after_step(cycle, 6), tick=False):
        client = client_for(demo_user, "agency")
        response = put(client, cycle)
        listing = client.get(f"{base(cycle)}/").json()
    assert response.status_code == 400 and response.json()["code"] == "locked"
    assert "۱۴۰۳/۰۴/۱۲" in response.json()["detail"] and listing["locked"]
    assert not Answer.objects.exists()


def test_the_schemas_are_in_the_openapi_document(demo, demo_user):
    schema = client_for(demo_user, "agency").get("/api/v1/openapi.json").json()
    names = set(schema["components"]["schemas"])
    # Names used by several apps carry the app's name (karnameh/api/api.py).
    assert {
        "WorkspaceOut",
        "AssessmentsGaugeOut",
        "AssessmentsAnswerIn",
        "AssessmentsSaveOut",
        "AssessmentsConflictOut",
    } <= names
