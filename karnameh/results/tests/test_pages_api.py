"""The approvals page, its forms, the API and the public ranking, as each role sees them."""

import json
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from karnameh.accounts.models import User
from karnameh.accounts.tests.clients import signed_in as client
from karnameh.audit.models import AuditEvent
from karnameh.common.templatetags.fa import fa
from karnameh.cycles.models import Cycle
from karnameh.cycles.tests.builders import after_step, open_cycle
from karnameh.results.models import Approval, Release, Result

from .builders import evaluate
from .test_services import PDF, ROLES, both

ORGANIZATION = {"admin", "staff", "deputy", "council"}


@pytest.fixture
def cycle(demo: Any) -> Cycle:
    found = open_cycle()
    evaluate(found)
    return found


@pytest.mark.parametrize("name", ROLES)
def test_the_approvals_page_is_the_organizations(cycle: Cycle, name: str) -> None:
    page = client(name).get(f"/results/{cycle.pk}/")
    api = client(name).get(f"/api/v1/results/{cycle.pk}")
    if name in ORGANIZATION:
        assert page.status_code == 200 and api.status_code == 200
        assert "تایید نهایی و انتشار" in page.content.decode()
    else:
        # Agency-side roles see the published cycle (403); the others too, or not at all (404).
        assert page.status_code in (403, 404) and api.status_code == page.status_code


def test_another_provinces_deputy_gets_404(cycle: Cycle) -> None:
    from karnameh.accounts.models import Role, RoleAssignment
    from karnameh.agencies.models import Province

    other = User.objects.create_user(username="ilam-staff", password="x")
    RoleAssignment.objects.create(
        user=other, role=Role.STAFF, province=Province.objects.get(code="ilam")
    )
    c = Client()
    c.force_login(other)
    assert c.get(f"/results/{cycle.pk}/").status_code == 404
    assert c.post(f"/results/{cycle.pk}/publish/").status_code == 404
    assert c.get(f"/api/v1/results/{cycle.pk}").status_code == 404


def test_the_whole_sequence_on_the_pages(cycle: Cycle) -> None:
    deputy, council, staff = client("deputy"), client("council"), client("staff")
    with time_machine.travel(after_step(cycle, 9), tick=False):
        page = deputy.get(f"/results/{cycle.pk}/").content.decode()
        assert 'data-testid="ready"' in page and 'data-testid="approve-form"' in page
        answer = deputy.post(f"/results/{cycle.pk}/approve/", {"note": "بررسی شد"}, follow=True)
    assert "تایید نهایی ثبت شد" in answer.content.decode()
    assert Result.objects.filter(participation__cycle=cycle).count() == 4
    # The council's form, without minutes: refused with the reason, nothing recorded.
    refused = council.post(f"/results/{cycle.pk}/council/", {"note": ""}, follow=True)
    assert "صورت‌جلسه" in refused.content.decode()
    assert Approval.objects.filter(stage="council").count() == 0
    upload = SimpleUploadedFile("minutes.pdf", PDF, content_type="application/pdf")
    council.post(f"/results/{cycle.pk}/council/", {"minutes": upload})
    approval = Approval.objects.get(stage="council")
    download = staff.get(f"/results/{cycle.pk}/minutes/{approval.pk}/")
    assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"
    assert Client().get(f"/results/{cycle.pk}/public/").status_code == 404
    staff.post(f"/results/{cycle.pk}/publish/")
    assert Release.objects.filter(cycle=cycle).exists()
    public = Client().get(f"/results/{cycle.pk}/public/")
    assert public.status_code == 200
    best = Result.objects.filter(participation__cycle=cycle).order_by("-final").first()
    assert best is not None
    text = public.content.decode()
    assert best.participation.agency.name in text
    assert fa(best.final) in text


def test_a_role_that_may_not_act_gets_403_and_nothing_changes(cycle: Cycle) -> None:
    before = (Approval.objects.count(), AuditEvent.objects.count())
    with time_machine.travel(after_step(cycle, 9), tick=False):
        assert client("staff").post(f"/results/{cycle.pk}/approve/").status_code == 403
        assert (
            client("council").post(f"/results/{cycle.pk}/reopen/", {"reason": "x"}).status_code
            == 403
        )
    assert (Approval.objects.count(), AuditEvent.objects.count()) == before


def api(c: Client, path: str, body: dict[str, Any] | None = None) -> Any:
    return c.post(path, json.dumps(body or {}), content_type="application/json")


def test_the_api_runs_the_same_sequence(cycle: Cycle) -> None:
    base = f"/api/v1/results/{cycle.pk}"
    with time_machine.travel(after_step(cycle, 9), tick=False):
        early = api(client("staff"), f"{base}/publish")
        assert early.status_code == 400 and early.json()["code"] == "not_approved"
        done = api(client("deputy"), f"{base}/approve", {"note": ""})
    assert done.status_code == 200
    body = done.json()
    assert [a["stage"] for a in body["approvals"]] == ["deputy"]
    assert len(body["results"]) == 4
    again = api(client("deputy"), f"{base}/approve")
    assert again.status_code == 400 and again.json()["code"] == "already_approved"
    same = client("deputy").post(
        f"{base}/council",
        {"minutes": SimpleUploadedFile("m.pdf", PDF, content_type="application/pdf")},
    )
    assert same.status_code == 403
    council = client("council").post(
        f"{base}/council",
        {"minutes": SimpleUploadedFile("m.pdf", PDF, content_type="application/pdf")},
    )
    assert council.status_code == 200
    assert Client().get(f"{base}/public").status_code == 404
    reopened = api(client("deputy"), f"{base}/reopen", {"reason": "بازبینی"})
    assert reopened.status_code == 200 and reopened.json()["approvals"] == []
    both_again = api(client("deputy"), f"{base}/approve")
    assert both_again.status_code == 200


def test_the_public_ranking_over_the_api(cycle: Cycle) -> None:
    both(cycle)
    base = f"/api/v1/results/{cycle.pk}"
    api(client("deputy"), f"{base}/publish")
    ranking = Client().get(f"{base}/public").json()
    assert [row["rank"] for row in ranking] == [1, 2, 3, 4]
    finals = [float(row["final"]) for row in ranking]
    assert finals == sorted(finals, reverse=True)


def test_the_cycle_page_links_to_approvals_and_after_release_to_the_ranking(cycle: Cycle) -> None:
    path = f"/cycles/{cycle.pk}/"
    assert 'data-testid="results-link"' in client("deputy").get(path).content.decode()
    agency = client("agency").get(path).content.decode()
    assert 'data-testid="results-link"' not in agency and 'data-testid="public-link"' not in agency
    both(cycle)
    api(client("staff"), f"/api/v1/results/{cycle.pk}/publish")
    assert 'data-testid="public-link"' in client("agency").get(path).content.decode()


def _page_queries(agencies: tuple[str, ...]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    found = open_cycle(agencies=agencies, year=1403 + len(agencies))
    evaluate(found, who=User.objects.get(username="evaluator"))
    deputy = client("deputy")
    deputy.get(f"/results/{found.pk}/")  # the compiled catalogue is cached after the first
    with CaptureQueriesContext(connection) as queries:
        assert deputy.get(f"/results/{found.pk}/").status_code == 200
    return len(queries)


def test_the_approvals_page_costs_the_same_for_few_or_many_agencies(demo: Any) -> None:
    few = _page_queries(("AR-ED", "AR-EF"))
    many = _page_queries(("AR-ED", "AR-EF", "AR-TAX", "AR-WEL", "AR-HE", "AR-AG", "AR-RD"))
    assert few == many
    assert many <= 30


def test_the_cycle_page_links_to_inquiries_and_objections_by_role(cycle: Cycle) -> None:
    path = f"/cycles/{cycle.pk}/"
    staff = client("staff").get(path).content.decode()
    assert 'data-testid="inquiries-link"' in staff and 'data-testid="objections-link"' in staff
    evaluator = client("evaluator").get(path).content.decode()
    assert 'data-testid="objection-queue-link"' in evaluator
    assert 'data-testid="inquiries-link"' not in evaluator
    agency = client("agency").get(path).content.decode()
    assert 'data-testid="objections-link"' not in agency
    scores = client("agency").get(f"/evaluations/{cycle.pk}/AR-ED/scores/").content.decode()
    assert f'href="/objections/{cycle.pk}/agency/AR-ED/"' in scores
