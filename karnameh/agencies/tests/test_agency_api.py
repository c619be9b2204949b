"""The agency API: the same filters, checks and audit as the pages."""

import json

import pytest
from django.test import Client

from karnameh.agencies.models import Agency
from karnameh.audit.models import AuditEvent


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password="demo")
    return client


def _patch(client: Client, code: str, body: dict[str, object]):
    return client.patch(
        f"/api/v1/agencies/{code}", json.dumps(body), content_type="application/json"
    )


def test_the_list_holds_only_what_the_caller_may_see(demo):
    # when
    body = _client("staff").get("/api/v1/agencies/?limit=100").json()
    # then
    codes = {item["code"] for item in body["items"]}
    assert body["count"] == 40
    assert "AR-ED" in codes
    assert not {"IL-ED", "ED"} & codes


def test_another_provinces_agency_is_not_found(demo):
    # when
    response = _client("staff").get("/api/v1/agencies/IL-ED")
    # then
    assert response.status_code == 404
    assert response.json()["detail"] == "پیدا نشد."


def test_staff_change_an_agency_and_it_is_audited(demo):
    # when
    response = _patch(_client("staff"), "AR-SP", {"is_active": False, "reason": "ادغام"})
    # then
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    event = AuditEvent.objects.get(action="agency.update")
    assert (event.reason, event.changes) == ("ادغام", {"is_active": [True, False]})


@pytest.mark.parametrize("body", [{"code": "X1"}, {"score": 100}, {"headquarters": 1}])
def test_fields_that_may_not_be_set_are_rejected_and_change_nothing(demo, body):
    # given
    before = list(Agency.objects.values_list("code", "name", "is_active"))
    # when
    response = _patch(_client("staff"), "AR-SP", body)
    # then
    assert response.status_code == 422
    assert list(Agency.objects.values_list("code", "name", "is_active")) == before
    assert not AuditEvent.objects.exists()


def test_an_agency_user_may_read_its_agency_but_not_change_it(demo):
    # given
    client = _client("agency")
    # when
    read = client.get("/api/v1/agencies/AR-ED")
    write = _patch(client, "AR-ED", {"name": "دستکاری"})
    # then
    assert read.status_code == 200
    assert write.status_code == 403
    assert write.json()["detail"] == "شما اجازهٔ این کار را ندارید."
    assert Agency.objects.get(code="AR-ED").name != "دستکاری"


def test_a_bad_structure_is_refused_with_the_reason(demo):
    # when
    response = _patch(_client("staff"), "AR-ED-01", {"county": ""})
    # then
    assert response.status_code == 400
    assert "نام شهرستان" in response.json()["detail"]


def test_callers_must_sign_in(db):
    # when
    response = Client().get("/api/v1/agencies/")
    # then
    assert response.status_code == 401
    assert response.json()["detail"] == "ابتدا وارد سامانه شوید."


def test_the_api_describes_itself_in_openapi_3_1(db):
    # when
    schema = Client().get("/api/v1/openapi.json").json()
    docs = Client().get("/api/v1/docs")
    # then
    assert schema["openapi"].startswith("3.1")
    assert "/api/v1/agencies/{code}" in schema["paths"]
    assert docs.status_code == 200
