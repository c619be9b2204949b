"""The province report's page, PDF and API: who reads it, when, and what it costs."""

from typing import Any
from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from karnameh.accounts.models import Role, RoleAssignment, User
from karnameh.agencies.models import Province
from karnameh.common.templatetags.fa import fa
from karnameh.cycles.models import Cycle
from karnameh.cycles.tests.builders import open_cycle
from karnameh.results.models import Result
from karnameh.results.services import council_approve, publish
from karnameh.results.tests.builders import evaluate
from karnameh.results.tests.test_services import PDF

from .test_province import approve, person

ORGANIZATION = ("staff", "deputy", "council", "admin")
# HQ, the agency, an evaluator and the national organization see the cycle: refused (403).
REFUSED = ("hq", "agency", "office", "evaluator", "national")


def client(name: str) -> Client:
    found = Client()
    found.force_login(person(name))
    return found


def page(cycle: Cycle) -> str:
    return f"/reports/{cycle.pk}/province/"


def api(cycle: Cycle) -> str:
    return f"/api/v1/reports/{cycle.pk}/province"


@pytest.fixture
def scored(demo: Any) -> Cycle:
    """Ardabil 1403, four agencies evaluated; no final approval yet."""
    found = open_cycle()
    evaluate(found)
    return found


@pytest.fixture
def cycle(scored: Cycle) -> Cycle:
    approve(scored)
    return scored


def release(cycle: Cycle) -> None:
    minutes = SimpleUploadedFile("m.pdf", PDF, content_type="application/pdf")
    council_approve(actor=person("council"), cycle=cycle, minutes=minutes)
    publish(actor=person("staff"), cycle=cycle)


def ed_final(cycle: Cycle) -> str:
    return fa(
        Result.objects.get(participation__cycle=cycle, participation__agency__code="AR-ED").final
    )


@pytest.mark.parametrize("name", ORGANIZATION)
def test_the_organization_reads_the_report_once_the_scores_are_fixed(
    cycle: Cycle, name: str
) -> None:
    # when
    response = client(name).get(page(cycle))
    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert "ادارهٔ کل آموزش و پرورش استان اردبیل" in body and ed_final(cycle) in body
    assert 'data-testid="pdf-link"' in body and 'data-testid="embargo-note"' in body
    for section in ("turnout", "axes", "ranking", "objections", "inquiries", "pathology"):
        assert f'data-testid="{section}"' in body


@pytest.mark.parametrize("name", REFUSED)
def test_no_one_else_reads_it_before_publication(cycle: Cycle, name: str) -> None:
    # when
    answers = [client(name).get(path) for path in (page(cycle), page(cycle) + "pdf/")]
    answers.append(client(name).get(api(cycle)))
    # then
    assert [a.status_code for a in answers] == [403, 403, 403]
    assert all(ed_final(cycle) not in a.content.decode("utf-8", "replace") for a in answers)


def test_outsiders_find_nothing(cycle: Cycle) -> None:
    # given: an assessing body's user, staff of another province and an anonymous visitor
    ilam = User.objects.create_user(username="ilam-staff", password="x")
    RoleAssignment.objects.create(
        user=ilam, role=Role.STAFF, province=Province.objects.get(code="ilam")
    )
    # when / then
    assert client("assessor").get(page(cycle)).status_code == 404
    assert client("ilam-staff").get(page(cycle)).status_code == 404
    assert client("ilam-staff").get(api(cycle)).status_code == 404
    anonymous = Client()
    assert anonymous.get(page(cycle)).status_code == 302
    assert anonymous.get(page(cycle) + "pdf/").status_code == 302
    assert anonymous.get(api(cycle)).status_code == 401


def test_after_publication_the_national_organization_reads_it_too(cycle: Cycle) -> None:
    # given
    release(cycle)
    # when
    national = client("national").get(page(cycle))
    # then
    assert national.status_code == 200 and ed_final(cycle) in national.content.decode()
    assert 'data-testid="embargo-note"' not in national.content.decode()
    assert client("national").get(api(cycle)).status_code == 200
    for name in ("hq", "agency", "evaluator"):
        assert client(name).get(page(cycle)).status_code == 403, name
    assert Client().get(page(cycle)).status_code == 302


def test_before_the_final_approval_the_page_says_why_there_is_nothing(scored: Cycle) -> None:
    # when
    response = client("staff").get(page(scored))
    pdf = client("staff").get(page(scored) + "pdf/")
    answer = client("staff").get(api(scored))
    # then
    body = response.content.decode()
    assert response.status_code == 200 and 'data-testid="not-fixed"' in body
    assert 'data-testid="pdf-link"' not in body and 'data-testid="ranking"' not in body
    assert pdf.status_code == 302 and pdf["Location"] == page(scored)
    assert answer.status_code == 409 and answer.json()["code"] == "results_not_fixed"
    assert Result.objects.filter(participation__cycle=scored).count() == 0


def test_the_api_gives_the_pages_figures(cycle: Cycle) -> None:
    # when
    data = client("deputy").get(api(cycle)).json()
    # then
    results = Result.objects.filter(participation__cycle=cycle)
    finals = {r.participation.agency.code: str(r.final) for r in results}
    assert {row["agency"]: row["final"] for row in data["ranking"]} == finals
    assert data["province"] == "اردبیل" and data["released"] is False
    assert data["turnout"]["taking_part"] == 4 and len(data["axes"]) == 7
    assert data["ranking"][0]["rank"] == 1
    assert data["weak_gauges"] and all(g["summary"] for g in data["weak_gauges"])
    assert {row["agency"] for row in data["convergence"]} == set(finals)


def test_the_pdf_carries_the_province_and_its_figures_in_persian(
    cycle: Cycle, pdftotext: Any
) -> None:
    # when
    response = client("council").get(page(cycle) + "pdf/")
    # then
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=UTF-8''" in disposition
    assert "اردبیل" in unquote(disposition.split("filename*=UTF-8''")[1])
    text = pdftotext(response.content)
    assert "اردبیل" in text
    assert ed_final(cycle) in text


def _queries(agencies: tuple[str, ...], path: Any) -> int:
    found = open_cycle(agencies=agencies, year=1403 + len(agencies))
    evaluate(found, who=User.objects.get(username="evaluator"))
    approve(found)
    deputy = client("deputy")
    assert deputy.get(path(found)).status_code == 200  # the first request warms the caches
    with CaptureQueriesContext(connection) as queries:
        assert deputy.get(path(found)).status_code == 200
    return len(queries)


@pytest.mark.parametrize("path", [page, api], ids=["page", "api"])
def test_the_report_costs_the_same_for_two_agencies_as_for_six(demo: Any, path: Any) -> None:
    few = _queries(("AR-ED", "AR-EF"), path)
    many = _queries(("AR-ED", "AR-EF", "AR-TAX", "AR-WEL", "AR-HE", "AR-AG"), path)
    assert few == many
    assert many <= 25
