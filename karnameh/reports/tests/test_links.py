"""Where people find the new pages: the agency from «my self-assessment» and its dashboard,
the organization from the cycle's page."""

import io
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from karnameh.accounts.models import User
from karnameh.accounts.tests.clients import signed_in as client
from karnameh.cycles.models import Cycle
from karnameh.cycles.tests.builders import open_cycle, participation
from karnameh.results.models import Release, Result


@pytest.fixture
def fixed(demo: Any) -> Cycle:
    cycle = open_cycle(year=1401, agencies=("AR-ED", "AR-WEL"))
    for code in ("AR-ED", "AR-WEL"):
        Result.objects.create(
            participation=participation(cycle, code),
            self_total=Decimal(60),
            general=Decimal(600),
            general_max=Decimal(1000),
            final=Decimal(60),
            fixed_at=timezone.now(),
        )
    open_cycle(year=1402, agencies=("AR-ED",))  # a second cycle: «mine» lists them
    return cycle


def test_the_agency_finds_its_card_only_after_publication(fixed: Cycle) -> None:
    card = f"/reports/{fixed.pk}/card/AR-ED/"
    dashboard = f"/dashboards/{fixed.pk}/agency/AR-ED/"
    agency = client("agency")
    # before publication: the dashboard is there, the card is not offered
    mine = agency.get("/assessments/mine/").content.decode()
    assert dashboard in mine and card not in mine
    assert card not in agency.get(dashboard).content.decode()
    # after publication: both lead to the card, and the dashboard to the plan too
    Release.objects.create(
        cycle=fixed, released_by=User.objects.get(username="staff"), released_at=timezone.now()
    )
    mine = agency.get("/assessments/mine/").content.decode()
    assert card in mine
    page = agency.get(dashboard).content.decode()
    assert card in page and f"{card}plan/" in page


@pytest.mark.parametrize(("name", "shown"), [("staff", True), ("deputy", True), ("hq", False)])
def test_the_cycle_page_offers_the_results_pages_to_the_organization(
    fixed: Cycle, name: str, shown: bool
) -> None:
    page = client(name).get(f"/cycles/{fixed.pk}/").content.decode()
    for path in (
        f"/results/{fixed.pk}/ranking/",
        f"/results/{fixed.pk}/awards/",
        f"/dashboards/{fixed.pk}/",
        f"/exports/{fixed.pk}/",
        f"/reports/{fixed.pk}/province/",
    ):
        assert (path in page) is shown, path


def test_staff_start_every_report_card_from_the_ranking_page_and_download_the_zip(
    demo: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # given a published cycle; the test settings run tasks at once
    from karnameh.jobs.models import Job, Status

    from .test_cards_builders import SAMPLE, published_cycle

    cycle = published_cycle(SAMPLE)
    staff = client("staff")
    ranking = staff.get(f"/results/{cycle.pk}/ranking/").content.decode()
    assert 'data-testid="job-reports.cards"' in ranking
    assert 'data-testid="job-results.recompute"' in ranking
    # when the button's form is sent (the task is queued when the transaction commits)
    with django_capture_on_commit_callbacks(execute=True):
        page = staff.post(
            "/jobs/start/",
            {"kind": "reports.cards", "cycle": cycle.pk, "next": f"/results/{cycle.pk}/ranking/"},
            follow=True,
        )
    job = Job.objects.get(kind="reports.cards")
    job.refresh_from_db()
    # then the job's page offers the ZIP, which holds one PDF per agency
    assert page.status_code == 200 and job.status == Status.DONE
    download = staff.get(f"/jobs/{job.pk}/download/")
    body = download.getvalue()
    names = zipfile.ZipFile(io.BytesIO(body)).namelist()
    assert job.output_name.endswith(".zip") and len(names) == len(SAMPLE)
    assert all(name.endswith(".pdf") for name in names)
    # an HQ user is offered nothing: the ranking page is the organization's
    assert client("hq").get(f"/results/{cycle.pk}/ranking/").status_code in (403, 404)
