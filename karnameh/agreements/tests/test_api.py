"""The MoU API calls the same services as the pages."""

import time_machine

from karnameh.agreements.models import Agreement, AgreementStatus
from karnameh.cycles.tests.builders import after_step

from .builders import all_targets, specific
from .test_excel import workbook
from .test_pages import client_for


def _body(targets: dict) -> dict:
    return {"targets": [{"part": p, "gauge": c, "value": v} for (p, c), v in targets.items()]}


def test_start_set_and_approve_through_the_api(ready, demo_user):
    # given
    base = f"/api/v1/agreements/{ready.cycle_id}/AR-ED"
    staff, agency = client_for(demo_user, "staff"), client_for(demo_user, "agency")
    # when
    assert staff.post(f"{base}/start").status_code == 200
    assert (
        staff.post(
            f"{base}/targets", _body(all_targets(ready, "۸۰")), content_type="application/json"
        ).status_code
        == 200
    )
    agency.post(f"{base}/approve", {"side": "agency"}, content_type="application/json")
    answer = staff.post(
        f"{base}/approve", {"side": "organization"}, content_type="application/json"
    )
    # then
    assert answer.status_code == 200
    data = answer.json()
    assert data["status"] == "agreed"
    assert data["versions"][0]["targets"]["general:1.1.1"] == "80"
    listed = staff.get(f"/api/v1/agreements/{ready.cycle_id}/").json()
    assert {row["agency"]: row["status"] for row in listed}["AR-ED"] == "agreed"


def test_a_bad_target_through_the_api_is_a_400_naming_it(ready, demo_user):
    # given
    base = f"/api/v1/agreements/{ready.cycle_id}/AR-ED"
    staff = client_for(demo_user, "staff")
    staff.post(f"{base}/start")
    # when
    answer = staff.post(
        f"{base}/targets", _body({("general", "1.1.2"): "5"}), content_type="application/json"
    )
    # then
    assert answer.status_code == 400
    assert answer.json()["code"] == "invalid_targets"
    assert not Agreement.objects.get().targets.exists()


def test_another_agency_is_not_found_through_the_api(ready, demo_user):
    # when
    answer = client_for(demo_user, "agency").get(f"/api/v1/agreements/{ready.cycle_id}/AR-EF")
    # then
    assert answer.status_code == 404


def test_impose_assign_and_import_through_the_api(cycle, demo_user):
    # given
    staff = client_for(demo_user, "staff")
    base = f"/api/v1/agreements/{cycle.pk}/AR-ED"
    catalogue = specific()
    # when
    assigned = staff.post(
        f"{base}/specific", {"catalogue": catalogue.code}, content_type="application/json"
    )
    with time_machine.travel(after_step(cycle, 5), tick=False):
        imposed = staff.post(
            f"{base}/impose",
            {**_body({key: "50" for key in _needed(staff, base)}), "reason": "مهلت گذشت"},
            content_type="application/json",
        )
    upload = workbook([["AR-EF", "عمومی", "1.1.1", 80]])
    imported = staff.post(f"/api/v1/agreements/{cycle.pk}/import", {"file": _file(upload)})
    rejected = staff.post(
        f"/api/v1/agreements/{cycle.pk}/import",
        {"file": _file(workbook([["NOPE", "عمومی", "1.1.1", 80]]))},
    )
    # then
    assert assigned.json()["specific_catalogue"] == catalogue.code
    assert imposed.json()["status"] == AgreementStatus.IMPOSED
    assert imported.json()["started"] == ["AR-EF"]
    assert rejected.status_code == 400
    assert rejected.json()["errors"][0]["row"] == 2


def _needed(client, base: str) -> list[tuple[str, str]]:
    return [(row["part"], row["gauge"]) for row in client.get(base).json()["needed"]]


def _file(content: bytes):
    import io

    upload = io.BytesIO(content)
    upload.name = "targets.xlsx"
    return upload
