"""The cycle API: the same services, checks and refusals as the pages."""

import json

import pytest

from karnameh.cycles.models import Cycle, CycleStatus, Workshop
from karnameh.cycles.tests.builders import DEMO_CATALOGUE, open_cycle
from karnameh.cycles.tests.helpers import circular_file, client, events
from karnameh.notifications.models import Notification


def _send(who, method: str, path: str, body: object):
    call = getattr(who, method)
    return call(f"/api/v1/cycles{path}", json.dumps(body), content_type="application/json")


def test_the_list_and_one_cycle_hold_what_the_caller_sees(demo):
    # given
    mine = open_cycle()
    open_cycle(province="ilam", agencies=["IL-ED"])
    # when
    listed = client("staff").get("/api/v1/cycles/").json()
    one = client("agency").get(f"/api/v1/cycles/{mine.pk}").json()
    # then
    assert [c["id"] for c in listed] == [mine.pk]
    assert len(one["steps"]) == 12
    assert [p["agency"] for p in one["participants"]] == ["AR-ED"]


@pytest.mark.parametrize(
    ("username", "province", "draft"), [("staff", "ilam", False), ("agency", "ardabil", True)]
)
def test_another_provinces_cycle_and_a_draft_for_an_agency_are_not_found(
    demo, username, province, draft
):
    # given
    cycle = open_cycle(
        province=province,
        agencies=["AR-ED" if province == "ardabil" else "IL-ED"],
        published=not draft,
    )
    # when
    response = client(username).get(f"/api/v1/cycles/{cycle.pk}")
    # then
    assert response.status_code == 404


def _new() -> dict[str, object]:
    return {
        "year": 1404,
        "level": "provincial",
        "province": "ardabil",
        "title": "ارزیابی ۱۴۰۴",
        "general_catalogue": DEMO_CATALOGUE,
        "start": "2025-03-21",
    }


def test_a_cycle_is_created_set_up_and_published(demo):
    # given
    staff = client("staff")
    # when
    created = _send(staff, "post", "/", _new())
    pk = created.json()["id"]
    steps = _send(
        staff,
        "put",
        f"/{pk}/steps",
        {"steps": [{"number": 12, "planned_start": "2025-10-20", "planned_end": "2025-11-05"}]},
    )
    _send(staff, "put", f"/{pk}/participants", {"agencies": ["AR-ED", "AR-EF"]})
    weights = _send(staff, "put", f"/{pk}/weights/social", {"weights": {"2.4": 2}})
    staff.post(f"/api/v1/cycles/{pk}/circular", {"upload": circular_file()})
    published = staff.post(f"/api/v1/cycles/{pk}/publish")
    # then
    assert created.status_code == 201
    assert steps.json()["steps"][11]["planned_end"] == "2025-11-05"
    assert weights.json() == {"agency_type": "social", "weights": {"2.4": 2}}
    assert published.status_code == 200
    assert published.json()["status"] == "published"
    assert published.json()["circular"] == "بخشنامه ۱۴۰۳.pdf"
    assert Notification.objects.filter(kind="cycle_published").count() == 3


def test_refusals_carry_the_persian_message_and_change_nothing(demo):
    # given
    staff = client("staff")
    pk = _send(staff, "post", "/", _new()).json()["id"]
    # when
    duplicate = _send(staff, "post", "/", _new())
    bad_step = _send(
        staff,
        "put",
        f"/{pk}/steps",
        {"steps": [{"number": 3, "planned_start": "2025-05-01", "planned_end": "2025-04-01"}]},
    )
    outsider = _send(staff, "put", f"/{pk}/participants", {"agencies": ["IL-ED"]})
    early = staff.post(f"/api/v1/cycles/{pk}/publish")
    forbidden = _send(client("agency"), "post", "/", _new())
    # then
    assert duplicate.status_code == bad_step.status_code == outsider.status_code == 400
    assert "۱۴۰۴" in duplicate.json()["detail"]
    assert "۳" in bad_step.json()["detail"]
    assert "ایلام" in outsider.json()["detail"]
    assert early.status_code == 400
    assert forbidden.status_code == 403
    assert Cycle.objects.get(pk=pk).status == CycleStatus.DRAFT
    assert events("cycle.step_update") == events("cycle.participants") == 0


def test_composition_is_changed_and_checked(demo):
    # given
    cycle = open_cycle()
    staff = client("staff")
    # when
    bad = _send(staff, "patch", f"/{cycle.pk}", {"composition": {"general": 90, "specific": 20}})
    good = _send(staff, "patch", f"/{cycle.pk}", {"composition": {"general": 50, "specific": 50}})
    # then
    assert bad.status_code == 400
    assert good.json()["composition"] == {"general": 50, "specific": 50}


def test_workshops_and_attendance(demo):
    # given
    cycle = open_cycle(agencies=["AR-ED"])
    staff = client("staff")
    body = {
        "step": 2,
        "title": "آموزش ارزیابان",
        "audience": "evaluators",
        "starts_at": "2024-03-23T09:00:00+03:30",
        "place": "سازمان",
    }
    # when
    created = _send(staff, "post", f"/{cycle.pk}/workshops", body)
    wid = created.json()["id"]
    changed = _send(staff, "put", f"/{cycle.pk}/workshops/{wid}", {**body, "place": "استانداری"})
    wrong = _send(staff, "post", f"/{cycle.pk}/workshops", {**body, "step": 7})
    attendance = _send(
        staff,
        "put",
        f"/{cycle.pk}/workshops/{wid}/attendance",
        [{"user": "evaluator", "attended": True}, {"agency": "AR-ED", "name": "نماینده"}],
    )
    listed = client("agency").get(f"/api/v1/cycles/{cycle.pk}/workshops").json()
    # then
    assert created.status_code == 201
    assert changed.json()["place"] == "استانداری"
    assert wrong.status_code == 400
    assert {(row["agency"], row["name"], row["attended"]) for row in attendance.json()} == {
        (None, "علی حسینی", True),
        ("AR-ED", "نماینده", False),
    }
    assert [w["id"] for w in listed] == [wid]
    assert Workshop.objects.count() == 1
