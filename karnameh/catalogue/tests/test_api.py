"""The catalogue API: the same visibility, checks and engine as the pages."""

import json

import pytest
from django.test import Client

from karnameh.agencies.models import Province
from karnameh.catalogue.store import save_new
from karnameh.scoring import catalogue_to_data, load_catalogue

from .builders import RICH, client_for, complaints_data, make


@pytest.fixture
def two(demo):
    return make(complaints_data("ardabil-1398"), province="ardabil"), make(
        complaints_data("ilam-1398"), province="ilam"
    )


def test_the_list_holds_only_what_the_caller_may_see(two):
    # when
    body = client_for("staff").get("/api/v1/catalogues/").json()
    # then
    codes = {item["code"] for item in body}
    assert "ardabil-1398" in codes and "ilam-1398" not in codes
    found = next(item for item in body if item["code"] == "ardabil-1398")
    assert (found["province"], found["max_score"], found["status"]) == ("ardabil", 10, "draft")


def test_one_catalogue_comes_as_the_files_data(demo):
    # given
    save_new(load_catalogue(RICH), province=Province.objects.get(code="ardabil"))
    # when
    body = client_for("agency").get("/api/v1/catalogues/national-1402-rich").json()
    # then
    body.pop("status"), body.pop("version")
    assert body == _rich_data()


def _rich_data() -> dict:
    # As the file writes it, through JSON as the API sends it.
    return json.loads(json.dumps(catalogue_to_data(load_catalogue(RICH))))


def test_another_provinces_catalogue_is_not_found(two):
    # when
    client = client_for("staff")
    responses = [
        client.get("/api/v1/catalogues/ilam-1398"),
        client.get("/api/v1/catalogues/ilam-1398/gauges/6.4.1/try?f_received=1"),
        client.post(
            "/api/v1/catalogues/ilam-1398/gauges/6.4.1/try",
            json.dumps({"answer": {}}),
            content_type="application/json",
        ),
        client.get("/api/v1/catalogues/ardabil-1398/gauges/9.9.9/try"),
    ]
    # then
    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    assert responses[0].json()["detail"] == "پیدا نشد."


def test_trying_with_query_parameters_scores_like_the_page(two):
    # when
    body = (
        client_for("evaluator")
        .get("/api/v1/catalogues/ardabil-1398/gauges/6.4.1/try?f_received=200&f_handled=۱۱۹")
        .json()
    )
    # then
    assert (body["score"], body["max"], body["status"]) == (3.5, 7, "scored")
    assert body["inputs"] == {"received": 200, "handled": 119}
    assert "۵۰٪ × ۷ = ۳٫۵" in body["explanation"]


def test_trying_with_an_answer_object(two):
    # when
    response = client_for("assessor").post(
        "/api/v1/catalogues/ardabil-1398/gauges/6.4.1/try",
        json.dumps({"answer": {"fields": {"received": 200, "handled": 150}}}),
        content_type="application/json",
    )
    # then: the assessor sees only shared catalogues, not Ardabil's
    assert response.status_code == 404


def test_trying_a_shared_catalogue_with_an_answer_object(demo):
    # given
    make(complaints_data("shared-1398"))
    # when
    body = (
        client_for("assessor")
        .post(
            "/api/v1/catalogues/shared-1398/gauges/6.4.1/try",
            json.dumps({"answer": {"fields": {"received": 200, "handled": 150}}}),
            content_type="application/json",
        )
        .json()
    )
    # then
    assert (body["score"], body["status"]) == (7, "scored")


def test_an_anonymous_caller_is_asked_to_sign_in(two):
    # when
    response = Client().get("/api/v1/catalogues/")
    # then
    assert response.status_code == 401
