"""The objections API: the same services, refusals and embargo as the pages."""

import json
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from karnameh.accounts.models import Role
from karnameh.agencies.models import Province
from karnameh.common.factories import user_with_role
from karnameh.cycles.tests.builders import open_cycle
from karnameh.objections.models import ExpertGroup, Objection
from karnameh.objections.services import objection_route

from .builders import GAUGE, WITHIN, ardabil, file, group, in_window, pdf, scored, state, user


def _client(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def _send(client: Client, method: str, path: str, body: dict[str, object]):
    return getattr(client, method)(path, json.dumps(body), content_type="application/json")


@pytest.fixture
def world(demo):
    cycle = open_cycle()
    scored(cycle)
    member = ardabil(Role.STAFF, "member")
    return {"cycle": cycle, "member": member, "base": f"/api/v1/objections/{cycle.pk}"}


def test_the_whole_way_through_the_api(world):
    # given
    cycle, base, member = world["cycle"], world["base"], world["member"]
    staff = _client(user("staff"))
    # when: the agency files, staff make a group and route, the member meets and decides
    with in_window(cycle):
        filed = _client(user("agency")).post(
            f"{base}/agency/AR-ED/general/{GAUGE}",
            {"reasoning": "دلیل اعتراض", "files": [pdf()]},
        )
    made = _send(staff, "post", f"{base}/groups", {"name": "گروه", "members": ["member"]})
    pk = filed.json()["id"]
    routed = _send(staff, "post", f"{base}/objections/{pk}/route", {"group": made.json()["id"]})
    met = _client(member).post(
        f"{base}/groups/{made.json()['id']}/meetings",
        {
            "held_on": timezone.now().date().isoformat(),
            "present": ["member"],
            "minutes": pdf("صورت‌جلسه.pdf"),
            "notes": "جلسهٔ اول",
        },
    )
    preview = _send(_client(member), "post", f"{base}/objections/{pk}/preview", {"answer": WITHIN})
    decided = _send(
        _client(member),
        "post",
        f"{base}/objections/{pk}/decide",
        {
            "outcome": "accept",
            "reasons": "پذیرفته شد.",
            "answer": WITHIN,
            "meeting": met.json()["id"],
        },
    )
    # then
    assert filed.status_code == 201, filed.content
    assert filed.json()["old_score"] == "0.00" or Decimal(filed.json()["old_score"]) == 0
    assert made.status_code == 201
    assert routed.status_code == 200 and routed.json()["state"] == "routed"
    assert met.status_code == 201, met.content
    assert Decimal(preview.json()["score"]) == Decimal(10)
    assert decided.status_code == 200, decided.content
    assert decided.json()["state"] == "accepted"
    assert Decimal(decided.json()["new_score"]) == Decimal(10)
    assert decided.json()["meeting"] == met.json()["id"]
    mine = _client(user("agency")).get(f"{base}/agency/AR-ED").json()
    assert [o["state"] for o in mine] == ["accepted"]
    assert staff.get(f"{base}?state=accepted").json()[0]["id"] == pk
    assert _client(member).get(f"{base}/queue").json()[0]["id"] == pk


def test_filing_outside_the_window_is_a_400_with_nothing_saved(world):
    before = state()
    response = _client(user("agency")).post(
        f"{world['base']}/agency/AR-ED/general/{GAUGE}", {"reasoning": "دلیل"}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "window_closed"
    assert state() == before


def test_a_gauge_with_no_score_is_a_400(world):
    before = state()
    with in_window(world["cycle"]):
        response = _client(user("agency")).post(
            f"{world['base']}/agency/AR-ED/general/3.1.6", {"reasoning": "دلیل"}
        )
    assert response.status_code == 400
    assert response.json()["code"] == "not_scored"
    assert state() == before


@pytest.mark.parametrize(
    ("username", "status"), [("staff", 403), ("hq", 403), ("evaluator", 403), ("ilam", 404)]
)
def test_others_may_not_file(world, username, status):
    person = (
        user_with_role(Role.STAFF, province=Province.objects.get(code="ilam"))
        if username == "ilam"
        else user(username)
    )
    before = state()
    with in_window(world["cycle"]):
        response = _client(person).post(
            f"{world['base']}/agency/AR-ED/general/{GAUGE}", {"reasoning": "دلیل"}
        )
    assert response.status_code == status
    assert state() == before


def test_staff_record_in_person_through_the_api(world):
    with in_window(world["cycle"]):
        response = _client(user("staff")).post(
            f"{world['base']}/in-person",
            {"agency": "AR-ED", "part": "general", "gauge": GAUGE, "reasoning": "حضوری"},
        )
    assert response.status_code == 201
    assert response.json()["in_person"] is True


def test_the_group_with_the_original_evaluator_is_a_400(world):
    cycle, base = world["cycle"], world["base"]
    objection = file(cycle)
    bad = group(cycle, user("evaluator"))
    before = state()
    response = _send(
        _client(user("staff")), "post", f"{base}/objections/{objection.pk}/route", {"group": bad.pk}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "conflict_of_interest"
    assert state() == before


@pytest.mark.parametrize("username", ["agency", "staff", "evaluator", "deputy"])
def test_only_a_member_decides_through_the_api(world, username):
    cycle, base = world["cycle"], world["base"]
    objection = file(cycle)
    objection_route(actor=user("staff"), objection=objection, group=group(cycle, world["member"]))
    before = state()
    response = _send(
        _client(user(username)),
        "post",
        f"{base}/objections/{objection.pk}/decide",
        {"outcome": "reject", "reasons": "د"},
    )
    assert response.status_code in (403, 404)
    assert state() == before


def test_reasons_are_required_through_the_api(world):
    cycle, base = world["cycle"], world["base"]
    objection = file(cycle)
    objection_route(actor=user("staff"), objection=objection, group=group(cycle, world["member"]))
    before = state()
    response = _send(
        _client(world["member"]),
        "post",
        f"{base}/objections/{objection.pk}/decide",
        {"outcome": "reject", "reasons": ""},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "reasons_required"
    assert state() == before


def test_the_agency_withdraws_and_others_may_not(world):
    cycle, base = world["cycle"], world["base"]
    objection = file(cycle)
    before = state()
    refused = _send(
        _client(user("staff")), "post", f"{base}/objections/{objection.pk}/withdraw", {}
    )
    assert refused.status_code == 403
    assert state() == before
    done = _send(_client(user("office")), "post", f"{base}/objections/{objection.pk}/withdraw", {})
    assert done.status_code == 200 and done.json()["state"] == "withdrawn"


def test_the_deciding_group_sees_the_score_and_an_outsider_sees_nothing(world):
    # given: an objection routed to a group of one evaluator; another evaluator outside it
    cycle, base = world["cycle"], world["base"]
    objection = file(cycle)
    sitting = ardabil(Role.EVALUATOR)
    outsider = ardabil(Role.EVALUATOR, "outsider")
    objection_route(actor=user("staff"), objection=objection, group=group(cycle, sitting))
    # when
    theirs = _client(sitting).get(f"{base}/objections/{objection.pk}")
    agency = _client(user("agency")).get(f"{base}/objections/{objection.pk}").json()
    other = _client(outsider).get(f"{base}/objections/{objection.pk}")
    # then: the group needs the score it decides on (results.rules: expert_of); the agency
    # reads its own; an evaluator outside the group learns nothing, not even that it exists
    assert theirs.status_code == 200
    assert Decimal(theirs.json()["old_score"]) == objection.old_score
    assert Decimal(agency["old_score"]) == objection.old_score
    assert other.status_code == 404 and "old_score" not in other.content.decode()


def test_groups_through_the_api_refuse_outsiders(world):
    base = world["base"]
    before = state()
    agency = _send(_client(user("agency")), "post", f"{base}/groups", {"name": "گ", "members": []})
    outsider = _send(
        _client(user("staff")), "post", f"{base}/groups", {"name": "گ", "members": ["agency"]}
    )
    assert (agency.status_code, outsider.status_code) == (403, 400)
    assert state() == before
    made = _send(
        _client(user("staff")), "post", f"{base}/groups", {"name": "گ", "members": ["member"]}
    )
    team = ExpertGroup.objects.get(pk=made.json()["id"])
    changed = _send(
        _client(user("staff")),
        "put",
        f"{base}/groups/{team.pk}/members",
        {"members": ["member", "evaluator"]},
    )
    assert changed.json()["members"] == ["evaluator", "member"]
    assert _client(user("agency")).get(f"{base}/groups/{team.pk}/meetings").status_code == 404
    assert Objection.objects.count() == 0
