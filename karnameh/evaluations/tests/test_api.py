"""The evaluations API: the same services and refusals as the pages."""

import json

from django.test import Client

from karnameh.cycles.tests.builders import open_cycle

from .helpers import SEVEN, evaluator, state


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _send(client: Client, method: str, path: str, body: dict[str, object]):
    return getattr(client, method)(path, json.dumps(body), content_type="application/json")


def test_staff_assign_list_and_remove_through_the_api(demo, demo_user):
    # given
    cycle = open_cycle()
    client = _client(demo_user("staff"))
    base = f"/api/v1/evaluations/{cycle.pk}/assignments"
    # when
    added = _send(
        client, "post", base, {"agency": "AR-EF", "evaluator": "evaluator", "scope": "general"}
    )
    listed = client.get(base)
    removed = _send(client, "delete", f"{base}/{added.json()['id']}", {"reason": "جابه‌جایی"})
    # then
    assert added.status_code == 201
    assert (added.json()["agency"], added.json()["origin"]) == ("AR-EF", "internal")
    assert [a["agency"] for a in listed.json()] == ["AR-EF"]
    assert removed.status_code == 200
    assert client.get(base).json() == []


def test_a_conflict_is_refused_through_the_api_with_nothing_saved(demo, demo_user):
    # given
    cycle = open_cycle()
    evaluator("own", works_for="AR-ED")
    before = state()
    # when
    response = _send(
        _client(demo_user("staff")),
        "post",
        f"/api/v1/evaluations/{cycle.pk}/assignments",
        {"agency": "AR-ED", "evaluator": "own", "scope": "general"},
    )
    # then
    assert response.status_code == 400
    assert state() == before


def test_the_suggestion_and_its_application_through_the_api(demo, demo_user):
    # given
    cycle = open_cycle(agencies=SEVEN)
    evaluator("b-eval")
    evaluator("c-eval")
    client = _client(demo_user("staff"))
    # when
    suggestion = client.get(f"/api/v1/evaluations/{cycle.pk}/suggestion?scope=general").json()
    applied = _send(
        client,
        "post",
        f"/api/v1/evaluations/{cycle.pk}/suggestion/apply",
        {"scope": "general", "pairs": suggestion["pairs"]},
    )
    # then
    assert len(suggestion["pairs"]) == 7
    assert applied.status_code == 201
    assert len(applied.json()) == 7


def test_the_queue_through_the_api(demo, demo_user):
    # given
    cycle = open_cycle()
    _send(
        _client(demo_user("staff")),
        "post",
        f"/api/v1/evaluations/{cycle.pk}/assignments",
        {"agency": "AR-EF", "evaluator": "evaluator", "scope": "general"},
    )
    # when
    mine = _client(demo_user("evaluator")).get(f"/api/v1/evaluations/{cycle.pk}/queue")
    refused = _client(demo_user("evaluator")).get(f"/api/v1/evaluations/{cycle.pk}/assignments")
    # then
    assert mine.status_code == 200
    assert (mine.json()["ready"], mine.json()["total"]) == (0, 1)
    assert refused.status_code == 403


def test_another_provinces_cycle_is_not_found_through_the_api(demo, demo_user):
    # given
    cycle = open_cycle(province="ilam", agencies=("IL-ED",))
    # when
    response = _client(demo_user("staff")).get(f"/api/v1/evaluations/{cycle.pk}/assignments")
    # then
    assert response.status_code == 404
