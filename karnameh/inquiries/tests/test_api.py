"""The inquiries API: another system answers with a token; the same services and refusals."""

import json

import pytest
import time_machine
from django.test import Client

from karnameh.accounts.tokens import token_create
from karnameh.cycles.tests.builders import open_cycle
from karnameh.evaluations.models import Assignment
from karnameh.inquiries.models import How, Inquiry, State

from .helpers import WELFARE, assessor, client, inquiry, sent_cycle, state


def _bearer(user) -> dict[str, str]:
    _token, secret = token_create(actor=user, name="سامانهٔ بهزیستی")
    return {"Authorization": f"Bearer {secret}"}


def _send(caller: Client, method: str, path: str, body: object, **headers: str):
    return getattr(caller, method)(
        path, json.dumps(body), content_type="application/json", headers=headers
    )


def test_another_system_answers_electronically_with_a_token(demo, demo_user):
    # given
    found = inquiry(sent_cycle(), "accessibility", "AR-ED")
    headers = _bearer(demo_user("assessor"))
    # when
    response = _send(
        Client(),
        "post",
        f"/api/v1/inquiries/{found.pk}/answer",
        {"answers": WELFARE, "reference": "REQ-1403-77"},
        **headers,
    )
    # then
    assert response.status_code == 201
    assert response.json()["scores"]["6.5.4"] == "7.5"
    found.refresh_from_db()
    assert (found.state, found.how, found.reference) == (State.ANSWERED, How.API, "REQ-1403-77")


def test_a_retried_post_with_the_same_key_is_applied_once(demo, demo_user):
    # given
    found = inquiry(sent_cycle(), "accessibility", "AR-ED")
    headers = {**_bearer(demo_user("assessor")), "Idempotency-Key": "77-a"}
    path = f"/api/v1/inquiries/{found.pk}/answer"
    # when
    first = _send(Client(), "post", path, {"answers": WELFARE}, **headers)
    again = _send(Client(), "post", path, {"answers": WELFARE}, **headers)
    # then
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["replayed"] is True
    assert Inquiry.objects.get(pk=found.pk).version == 1


@pytest.mark.parametrize(
    ("answers", "code"),
    [
        ({**WELFARE, "6.5.1": {"score": 8}}, "bad_answer"),
        ({**WELFARE, "9.9.9": {"score": 1}}, "unknown_gauge"),
        ({"6.5.1": {"score": 1}}, "missing_gauge"),
    ],
)
def test_a_wrong_answer_is_a_400_with_the_reason_and_nothing_saved(demo, demo_user, answers, code):
    # given
    found = inquiry(sent_cycle(), "accessibility", "AR-ED")
    headers = _bearer(demo_user("assessor"))
    before = state()
    # when
    response = _send(
        Client(), "post", f"/api/v1/inquiries/{found.pk}/answer", {"answers": answers}, **headers
    )
    # then
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert response.json()["detail"]
    assert state()[0] == before[0]


@pytest.mark.parametrize(
    ("who", "status"),
    [("staff", 403), ("other_body", 404), ("hq", 404), ("agency", 404), ("national", 404)],
)
def test_those_who_may_not_answer_are_refused(demo, demo_user, who, status):
    # given
    found = inquiry(sent_cycle(), "accessibility", "AR-ED")
    user = assessor("green", "environment") if who == "other_body" else demo_user(who)
    before = state()
    # when
    response = _send(
        client(user), "post", f"/api/v1/inquiries/{found.pk}/answer", {"answers": WELFARE}
    )
    # then
    assert response.status_code == status
    assert state() == before


def test_a_correction_through_the_api(demo, demo_user):
    # given
    found = inquiry(sent_cycle(), "accessibility", "AR-ED")
    caller = client(demo_user("assessor"))
    path = f"/api/v1/inquiries/{found.pk}/answer"
    _send(caller, "post", path, {"answers": WELFARE})
    corrected = {**WELFARE, "6.5.3": {"score": 6}}
    # when
    stale = _send(caller, "put", path, {"answers": corrected, "version": 0, "reason": "x"})
    done = _send(caller, "put", path, {"answers": corrected, "version": 1, "reason": "بازدید دوم"})
    # then
    assert stale.status_code == 409
    assert done.status_code == 200
    assert done.json()["scores"]["6.5.3"] == "6"


def test_the_list_for_the_body_and_for_staff(demo, demo_user):
    # given
    cycle = sent_cycle()
    found = inquiry(cycle, "accessibility", "AR-ED")
    _send(
        client(demo_user("assessor")),
        "post",
        f"/api/v1/inquiries/{found.pk}/answer",
        {"answers": WELFARE},
    )
    # when
    mine = client(demo_user("assessor")).get("/api/v1/inquiries/").json()
    staff = client(demo_user("staff")).get(f"/api/v1/inquiries/?cycle={cycle.pk}").json()
    answered = client(demo_user("staff")).get("/api/v1/inquiries/?state=answered").json()
    # then
    assert {row["topic"] for row in mine} == {"accessibility"}
    assert len(mine) == 3
    assert len(staff) == 24
    assert [row["id"] for row in answered] == [found.pk]
    assert answered[0]["scores"]["6.5.1"] == "7"
    assert [g["code"] for g in answered[0]["gauges"]] == list(WELFARE)


def test_the_list_of_overdue_inquiries(demo, demo_user):
    # given
    cycle = sent_cycle(agencies=("AR-ED",))
    found = inquiry(cycle, "green", "AR-ED")
    # when
    with time_machine.travel(found.due_at, tick=False):
        late = client(demo_user("staff")).get("/api/v1/inquiries/?overdue=true").json()
    # then
    assert len(late) == 8
    assert {row["days_late"] for row in late} == {1}


@pytest.mark.parametrize("username", ["agency", "office", "hq", "national"])
def test_the_list_is_refused_to_those_who_see_no_inquiry(demo, demo_user, username):
    # given
    sent_cycle()
    # when
    response = client(demo_user(username)).get("/api/v1/inquiries/")
    # then
    assert response.status_code == 403


def test_no_answer_leaks_through_the_api(demo, demo_user):
    # given
    cycle = sent_cycle()
    found = inquiry(cycle, "accessibility", "AR-ED")
    _send(
        client(demo_user("assessor")),
        "post",
        f"/api/v1/inquiries/{found.pk}/answer",
        {"answers": WELFARE},
    )
    other_body = assessor("green", "environment")
    # when
    unassigned = client(demo_user("evaluator")).get("/api/v1/inquiries/").json()
    green = client(other_body).get("/api/v1/inquiries/").json()
    detail = [
        client(user).get(f"/api/v1/inquiries/{found.pk}").status_code
        for user in (other_body, demo_user("evaluator"), demo_user("hq"), demo_user("agency"))
    ]
    Assignment.objects.create(
        participation=found.participation,
        evaluator=demo_user("evaluator"),
        scope="general",
        origin="internal",
        assigned_by=demo_user("staff"),
        assigned_at=found.sent_at,
    )
    assigned = client(demo_user("evaluator")).get(f"/api/v1/inquiries/{found.pk}").json()
    # then
    assert unassigned == []
    assert all(row["answer"] is None for row in green)
    assert {row["topic"] for row in green} == {"green"}
    assert detail == [404, 404, 404, 404]
    assert assigned["scores"]["6.5.2"] == "5.5"


def test_staff_send_through_the_api(demo, demo_user):
    # given
    cycle = open_cycle(agencies=("AR-ED",))
    # when
    sent = client(demo_user("staff")).post(f"/api/v1/inquiries/cycles/{cycle.pk}/send")
    again = client(demo_user("staff")).post(f"/api/v1/inquiries/cycles/{cycle.pk}/send")
    refused = client(demo_user("agency")).post(f"/api/v1/inquiries/cycles/{cycle.pk}/send")
    # then
    assert sent.status_code == 201
    assert len(sent.json()) == 8
    assert again.json() == []
    assert refused.status_code == 403


def test_another_provinces_cycle_is_not_found_through_the_api(demo, demo_user):
    # given
    cycle = open_cycle(province="ilam", agencies=("IL-ED",))
    # when
    response = client(demo_user("staff")).post(f"/api/v1/inquiries/cycles/{cycle.pk}/send")
    # then
    assert response.status_code == 404
