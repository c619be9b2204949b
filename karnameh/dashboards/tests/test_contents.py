"""What the dashboards show: the counts match what the builders made, page and API alike."""

import re
from typing import Any

import pytest
import time_machine

from karnameh.accounts.models import User
from karnameh.accounts.tests.clients import signed_in as client
from karnameh.common.templatetags.fa import fa, jdatetime_filter
from karnameh.cycles.models import Cycle
from karnameh.cycles.tests.builders import participation, step_day
from karnameh.evaluations.models import Assignment, Review
from karnameh.inquiries.models import Inquiry
from karnameh.inquiries.models import State as InquiryState

from .builders import objection, running


def row(page: str, attribute: str, value: str) -> str:
    """The table row carrying ``data-<attribute>="<value>"``."""
    found = re.search(rf'<tr data-{attribute}="{re.escape(value)}"[^>]*>(.*?)</tr>', page, re.S)
    assert found, f"no row {attribute}={value}"
    return found.group(1)


@pytest.fixture
def cycle(demo: Any) -> Cycle:
    found = running()
    objection(found)
    return found


def test_the_cycles_dashboard_counts_states_laggards_inquiries_objections(cycle: Cycle) -> None:
    # given: AR-ED and AR-EF transferred, AR-TAX submitted, AR-WEL not started; the inquiries
    # sent in step 8 are all past their last day by step 10
    sent = Inquiry.objects.filter(cycle=cycle).count()
    assert sent > 0
    # when
    with time_machine.travel(step_day(cycle, 10), tick=False):
        page = client("staff").get(f"/dashboards/{cycle.pk}/").content.decode()
        api = client("staff").get(f"/api/v1/dashboards/{cycle.pk}").json()
    # then: agencies by state
    assert fa(2) in row(page, "state", "transferred")
    assert fa(1) in row(page, "state", "submitted")
    assert fa(1) in row(page, "state", "not_started")
    states = {s["state"]: s["agencies"] for s in api["states"]}
    assert states["transferred"] == 2 and states["submitted"] == 1
    assert states["not_started"] == 1 and states["draft"] == 0
    # who has not reached the organization, with their state
    assert {a["agency"]: a["state"] for a in api["not_transferred"]} == {
        "AR-TAX": "submitted",
        "AR-WEL": "not_started",
    }
    assert "ادارهٔ کل بهزیستی استان اردبیل" in row(page, "agency", "AR-WEL")
    assert 'data-agency="AR-ED"' not in page
    # the overdue inquiries: every one sent, none answered
    assert api["inquiries"] == {"sent": sent, "answered": 0, "overdue": sent}
    assert len(api["overdue_inquiries"]) == sent
    assert all(i["days_late"] > 0 for i in api["overdue_inquiries"])
    assert f'data-testid="overdue-count">{fa(sent)}<' in page
    by_topic = api["overdue_by_topic"]
    assert sum(len(t["agencies"]) for t in by_topic) == sent
    assert all(f'data-topic="{t["topic"]}"' in page for t in by_topic)
    # the objection, open
    assert [(o["agency"], o["gauge"], o["state"]) for o in api["open_objections"]] == [
        ("AR-ED", "2.10.1", "filed")
    ]
    assert api["objections"]["filed"] == 1
    assert "۲.۱۰.۱" in page
    # steps: 7 is the transfer (2 of 4), 9 the objections (0 decided of 1), today is step 10
    steps = {s["number"]: s for s in api["steps"]}
    assert (steps[6]["done"], steps[6]["total"]) == (3, 4)
    assert (steps[7]["done"], steps[7]["total"]) == (2, 4)
    assert (steps[9]["done"], steps[9]["total"]) == (0, 1)
    assert steps[10]["current"] and not steps[9]["current"]
    transfer = re.search(r'data-testid="step-7-progress">([^<]*)<', page)
    assert transfer and fa(2) in transfer.group(1) and fa(4) in transfer.group(1)
    assert len(api["steps"]) == 12


def test_the_evaluators_queue_counts_reviewed_gauges_and_approvals(cycle: Cycle) -> None:
    # given: ev-results reviewed every gauge of the four agencies and approved them all; then
    # AR-ED's reviews are gone and AR-TAX's approval was returned
    Review.objects.filter(participation=participation(cycle, "AR-ED")).delete()
    Assignment.objects.filter(participation=participation(cycle, "AR-TAX")).update(approved_at=None)
    # when
    api = client("deputy").get(f"/api/v1/dashboards/{cycle.pk}").json()
    page = client("deputy").get(f"/dashboards/{cycle.pk}/").content.decode()
    ed = client("deputy").get(f"/api/v1/dashboards/{cycle.pk}/agency/AR-ED").json()
    tax = client("deputy").get(f"/api/v1/dashboards/{cycle.pk}/agency/AR-TAX").json()
    # then
    [queue] = api["evaluators"]
    assert queue["username"] == "ev-results"
    assert (queue["agencies"], queue["assignments"], queue["approved"]) == (4, 4, 3)
    [ed_part] = ed["evaluators"]
    assert ed_part["reviewed"] == 0 and ed_part["total"] > 0
    assert queue["reviewed"] == queue["total"] - ed_part["total"]
    assert [e["approved"] for e in tax["evaluators"]] == [False]
    evaluator = row(page, "evaluator", "ev-results")
    assert fa(queue["reviewed"]) in evaluator and fa(queue["total"]) in evaluator
    steps = {s["number"]: s for s in api["steps"]}
    assert (steps[8]["done"], steps[8]["total"]) == (3, 4)


def test_the_cycles_dashboard_carries_its_charts_data_and_no_inline_script(cycle: Cycle) -> None:
    # when
    page = client("council").get(f"/dashboards/{cycle.pk}/").content.decode()
    # then: the data in a JSON tag, the drawing code in our own static files
    assert '<script id="dashboard-charts" type="application/json">' in page
    assert "/static/vendor/chartjs/chart.umd.min.js" in page
    assert "/static/dashboards/charts.js" in page
    scripts = re.findall(r"<script(?![^>]*(?:src=|application/json))[^>]*>", page)
    assert scripts == []
    assert 'data-chart="states"' in page and 'data-chart="evaluators"' in page


def test_the_agencys_dashboard_shows_its_own_way_through_the_steps(cycle: Cycle) -> None:
    # given: AR-ED was transferred with a receipt; the office approved it
    ed = participation(cycle, "AR-ED")
    ed.receipt = "R-1403-0007"
    ed.submitted_at = step_day(cycle, 6, offset=3)
    ed.submitted_by = User.objects.get(username="agency")
    ed.office_approved_at = step_day(cycle, 7)
    ed.office_approved_by = User.objects.get(username="office")
    ed.save(
        update_fields=[
            "receipt",
            "submitted_at",
            "submitted_by",
            "office_approved_at",
            "office_approved_by",
        ]
    )
    inquiries = Inquiry.objects.filter(participation=ed)
    answered = inquiries.first()
    assert answered is not None
    Inquiry.objects.filter(pk=answered.pk).update(state=InquiryState.ANSWERED)
    # when
    with time_machine.travel(step_day(cycle, 10), tick=False):
        page = client("agency").get(f"/dashboards/{cycle.pk}/agency/AR-ED/").content.decode()
        api = client("agency").get(f"/api/v1/dashboards/{cycle.pk}/agency/AR-ED").json()
    # then
    assert api["state"] == "transferred" and 'data-state="transferred"' in page
    assert api["receipt"] == "R-1403-0007" and fa("R-1403-0007") in page
    milestones = {m["key"]: m for m in api["milestones"]}
    assert milestones["submitted"]["by"] == "agency"
    assert milestones["office_approved"]["by"] == "office"
    assert milestones["hq_approved"]["at"] is None
    assert jdatetime_filter(ed.submitted_at) in page and ed.submitted_by.display_name in page
    assert [e["approved"] for e in api["evaluators"]] == [True]
    assert api["evaluators"][0]["reviewed"] == api["evaluators"][0]["total"] > 0
    # evaluators are shown by part and origin, not by name
    assert "ev-results" not in page and "ev-results" not in str(api)
    assert api["inquiries"] == {
        "sent": inquiries.count(),
        "answered": 1,
        "overdue": inquiries.count() - 1,
    }
    assert [(o["gauge"], o["state"]) for o in api["objections"]] == [("2.10.1", "filed")]
    assert len(api["steps"]) == 12 and [s["current"] for s in api["steps"]].count(True) == 1
    assert api["released"] is False and api["result"] is None
    assert 'data-testid="embargo"' in page


def test_the_agencys_dashboard_names_its_extension(cycle: Cycle) -> None:
    # given: AR-WEL was given until the last day of step 7 to enter its self-assessment
    wel = participation(cycle, "AR-WEL")
    wel.extended_until = step_day(cycle, 8)
    wel.save(update_fields=["extended_until"])
    # when
    page = client("staff").get(f"/dashboards/{cycle.pk}/agency/AR-WEL/").content.decode()
    api = client("staff").get(f"/api/v1/dashboards/{cycle.pk}/agency/AR-WEL").json()
    staff = client("staff").get(f"/dashboards/{cycle.pk}/").content.decode()
    # then
    assert api["entry_extended"] is True and api["state"] == "not_started"
    assert 'data-testid="entry-closes"' in page
    assert fa("1403/") in row(staff, "agency", "AR-WEL")
