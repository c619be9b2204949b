"""The feedback API: the same services, filters and refusals as the pages."""

import json

import pytest
from django.test import Client

from karnameh.feedback.models import Feedback

from .helpers import ALL_FIVE, agency_user, complaint, state


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client: Client, path: str, body: dict[str, object] | None = None):
    return client.post(path, json.dumps(body or {}), content_type="application/json")


def test_an_agency_user_sends_a_survey_through_the_api(demo, demo_user):
    # when
    response = _post(
        _client(demo_user("agency")),
        "/api/v1/feedback/",
        {"kind": "survey", "subject": "نظرسنجی", "ratings": ALL_FIVE},
    )
    # then
    assert response.status_code == 201
    body = response.json()
    assert (body["kind"], body["agency"], body["ratings"]) == ("survey", "AR-ED", ALL_FIVE)
    assert body["tracking_number"] == Feedback.objects.get().tracking_number


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"kind": "survey", "subject": "x", "ratings": {**ALL_FIVE, "system": 9}}, 400),
        ({"kind": "complaint", "subject": "x", "body": ""}, 400),
        ({"kind": "praise", "subject": "x", "body": "y"}, 422),
        ({"kind": "complaint", "subject": "x", "body": "y", "agency": "AR-EF"}, 404),
        ({"kind": "complaint", "subject": "x", "body": "y", "score": 1}, 422),
        ({"kind": "complaint", "subject": "x", "body": "y", "cycle": 999}, 404),
    ],
)
def test_bad_input_is_refused_with_a_reason_and_saves_nothing(demo, demo_user, body, status):
    # when
    response = _post(_client(demo_user("agency")), "/api/v1/feedback/", body)
    # then
    assert response.status_code == status
    assert response.json()["detail"]
    assert not Feedback.objects.exists()


def test_the_list_holds_only_what_the_caller_sees_and_filters(demo, demo_user):
    # given
    mine = complaint(demo_user("agency"))
    complaint(demo_user("agency"), kind="suggestion")
    complaint(agency_user("AR-EF"), "AR-EF")
    complaint(agency_user("IL-ED"), "IL-ED")
    # when
    agency = _client(demo_user("agency")).get("/api/v1/feedback/?kind=complaint").json()
    staff = _client(demo_user("staff")).get("/api/v1/feedback/").json()
    # then
    assert [item["tracking_number"] for item in agency["items"]] == [mine.tracking_number]
    assert staff["count"] == 3
    assert {item["agency"] for item in staff["items"]} == {"AR-ED", "AR-EF"}


def test_staff_answer_and_close_and_the_author_reads_it_by_number(demo, demo_user):
    # given
    feedback = complaint(demo_user("agency"))
    staff = _client(demo_user("staff"))
    number = feedback.tracking_number
    # when
    answered = _post(staff, f"/api/v1/feedback/{number}/answer", {"answer": "بررسی شد"})
    closed = _post(staff, f"/api/v1/feedback/{number}/close")
    read = _client(demo_user("agency")).get(f"/api/v1/feedback/{number.lower()}")
    # then
    assert answered.status_code == 200
    assert (answered.json()["status"], answered.json()["answered_by"]) == ("answered", "staff")
    assert closed.json()["status"] == "closed"
    assert (read.json()["answer"], read.json()["status"]) == ("بررسی شد", "closed")


def test_another_provinces_feedback_is_not_found_and_unchanged(demo, demo_user):
    # given
    ilam = complaint(agency_user("IL-ED"), "IL-ED")
    staff = _client(demo_user("staff"))
    before = state()
    # when
    responses = [
        staff.get(f"/api/v1/feedback/{ilam.tracking_number}"),
        _post(staff, f"/api/v1/feedback/{ilam.tracking_number}/answer", {"answer": "x"}),
        _post(staff, f"/api/v1/feedback/{ilam.tracking_number}/close"),
    ]
    # then
    assert [r.status_code for r in responses] == [404, 404, 404]
    assert responses[0].json()["code"] == "not_found"
    assert state() == before


def test_the_author_may_not_answer_and_a_second_answer_is_refused(demo, demo_user):
    # given
    feedback = complaint(demo_user("agency"))
    path = f"/api/v1/feedback/{feedback.tracking_number}/answer"
    staff = _client(demo_user("staff"))
    before = state()
    # when
    own = _post(_client(demo_user("agency")), path, {"answer": "خودم"})
    unchanged = state()
    _post(staff, path, {"answer": "اول"})
    answered = state()
    second = _post(staff, path, {"answer": "دوم"})
    # then
    assert own.status_code == 403
    assert unchanged == before
    assert second.status_code == 400
    assert second.json()["code"] == "not_open"
    assert state() == answered


def test_the_survey_questions_are_listed(demo, demo_user):
    # when
    body = _client(demo_user("agency")).get("/api/v1/feedback/questions").json()
    # then
    assert [q["key"] for q in body] == list(ALL_FIVE)
