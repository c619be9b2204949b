"""The second half of a cycle in a real Chromium.

One walk: an evaluator scores a gauge below the agency's self-score, is asked for the notes of
deficiencies, writes them and gives the initial approval; the agency reads its provisional
score and notes and, in the objection window, objects; staff send the objection to an expert
group and a member accepts it with a new answer; after the window the deputy gives the final
approval, another person records the council's, staff publish, and only then does the public
ranking exist. Time passes between the phases by moving the cycle's calendar (the live server
runs on the real clock).

And the approvals alone, on a cycle evaluated long ago.
"""

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from karnameh.accounts.models import User
from karnameh.assessments.models import Answer
from karnameh.cycles.deadlines import TEHRAN
from karnameh.cycles.models import Cycle, Step
from karnameh.cycles.steps import STEPS, planned_dates
from karnameh.cycles.tests.builders import open_cycle
from karnameh.evaluations.models import Assignment, Review
from karnameh.objections.groups import group_create
from karnameh.objections.models import Objection
from karnameh.results.models import Approval, Release, Result
from karnameh.results.tests.builders import evaluate

from .conftest import _new_page

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def evaluated(live_demo: Any) -> Cycle:
    """A cycle whose objection window closed long ago, every agency evaluated and approved."""
    cycle = open_cycle()
    evaluate(cycle)
    return cycle


@pytest.fixture
def public(browser: Any) -> Iterator[Any]:
    """A visitor who never signs in."""
    yield from _new_page(browser, viewport={"width": 390, "height": 844}, is_mobile=True)


def test_approvals_by_two_people_then_the_public_ranking(
    page, public, log_in, live_demo, evaluated, tmp_path
):
    base = live_demo.url
    ranking = f"{base}/results/{evaluated.pk}/public/"
    # given: before anything is approved the public ranking does not exist
    assert public.request.get(ranking).status == 404
    # when: the deputy opens the cycle and gives the final approval
    log_in(page, "deputy")
    page.goto(f"{base}/cycles/{evaluated.pk}/")
    page.get_by_test_id("results-link").click()
    expect(page.get_by_test_id("ready")).to_be_visible()
    page.get_by_test_id("approve-form").get_by_label("توضیح").fill("همهٔ امتیازها بررسی شد.")
    page.get_by_role("button", name="تایید نهایی همهٔ امتیازها").click()
    expect(page.get_by_role("alert").first).to_contain_text("تایید نهایی ثبت شد")
    expect(page.get_by_test_id("stage-deputy")).to_contain_text("محمد نوری")
    expect(page.get_by_test_id("results")).to_be_visible()
    # the deputy cannot record the council's approval, and the ranking is still not public
    expect(page.get_by_test_id("council-form")).to_have_count(0)
    assert public.request.get(ranking).status == 404
    # when: a council member records the council's approval with the minutes
    page.context.clear_cookies()
    log_in(page, "council")
    page.goto(f"{base}/results/{evaluated.pk}/")
    minutes = tmp_path / "صورت‌جلسه.pdf"
    minutes.write_bytes(PDF)
    page.get_by_test_id("council-form").locator("input[type=file]").set_input_files(str(minutes))
    page.get_by_role("button", name="ثبت تصویب رتبه‌بندی در شورا").click()
    expect(page.get_by_test_id("stage-council")).to_contain_text("سارا قاسمی")
    assert public.request.get(ranking).status == 404
    # when: staff publish
    page.context.clear_cookies()
    log_in(page, "staff")
    page.goto(f"{base}/results/{evaluated.pk}/")
    page.get_by_role("button", name="انتشار نتایج").click()
    expect(page.get_by_test_id("stage-release")).to_contain_text("منتشرشده در")
    # then: the ranking is public, best first, on a phone, without signing in
    best = Result.objects.filter(participation__cycle=evaluated).order_by("-final").first()
    assert best is not None
    public.goto(ranking)
    first_row = public.get_by_test_id("public-ranking").locator("tbody tr").first
    expect(first_row).to_contain_text(best.participation.agency.name)
    expect(first_row).to_contain_text("۱")
    assert Approval.objects.filter(cycle=evaluated, withdrawn_at__isnull=True).count() == 2
    assert Release.objects.filter(cycle=evaluated).exists()
    assert page.problems == [] and public.problems == []


GAUGE = "2.10.1"  # a judgement out of 20


def _today() -> dt.date:
    return timezone.now().astimezone(TEHRAN).date()


def _start_for(step: int, day: int) -> dt.date:
    """The first day of step 1 such that today is day ``day`` of step ``step``."""
    return _today() - dt.timedelta(days=sum(s.days for s in STEPS if s.number < step) + day - 1)


def _move_calendar(cycle: Cycle, start: dt.date) -> None:
    for number, first, last in planned_dates(start):
        Step.objects.filter(cycle=cycle, number=number).update(
            planned_start=first, planned_end=last
        )


def test_an_evaluator_scores_the_agency_objects_a_group_decides_and_two_people_approve(
    page, public, log_in, live_demo, tmp_path
):
    base = live_demo.url
    cycle = open_cycle(start=_start_for(8, 3))
    evaluate(cycle, who=User.objects.get(username="evaluator"))
    assignment = Assignment.objects.get(
        participation__cycle=cycle, participation__agency__code="AR-ED"
    )
    Assignment.objects.filter(pk=assignment.pk).update(approved_at=None)
    Review.objects.filter(assignment=assignment, gauge_code=GAUGE).delete()
    Answer.objects.filter(participation=assignment.participation, gauge_code=GAUGE).update(
        data={"score": 18}, score=18
    )
    # given: the evaluator, on the one gauge of AR-ED not yet scored (step 8)
    log_in(page, "evaluator")
    page.goto(f"{base}/evaluations/{cycle.pk}/review/{assignment.pk}/{GAUGE}/")
    expect(page.get_by_test_id("self-score")).to_contain_text("۱۸")
    # when: a score below the self-score without notes
    page.locator("#gauge-form #id_score").fill("۱۲")
    page.get_by_test_id("gauge-form").get_by_role("button").last.click()
    # then: refused, naming the gauge; nothing saved
    expect(page.get_by_test_id("error")).to_contain_text("۲.۱۰.۱")
    assert not Review.objects.filter(assignment=assignment, gauge_code=GAUGE).exists()
    # The refusal is a 400 answer (the form with its error), not a fault.
    assert page.problems == [
        f"HTTP 400: {base}/evaluations/{cycle.pk}/review/{assignment.pk}/{GAUGE}/"
    ]
    page.problems.clear()
    # when: with the notes of deficiencies
    page.locator("#gauge-form #id_score").fill("۱۲")
    page.locator("#gauge-form #id_deficiencies").fill("وب‌سرویس رصد تنها در نیمی از سال برقرار بود.")
    page.get_by_test_id("gauge-form").get_by_role("button").last.click()
    page.wait_for_load_state("networkidle")
    review = Review.objects.get(assignment=assignment, gauge_code=GAUGE)
    assert review.score == 12 and review.deficiencies
    # and the initial approval of the part
    page.goto(f"{base}/evaluations/{cycle.pk}/review/{assignment.pk}/")
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("approved")).to_be_visible()
    # then: the agency reads its provisional score and the notes
    page.context.clear_cookies()
    log_in(page, "agency")
    page.goto(f"{base}/evaluations/{cycle.pk}/AR-ED/scores/")
    expect(page.locator("body")).to_contain_text("وب‌سرویس رصد تنها در نیمی از سال برقرار بود.")
    # when: the objection window opens and the agency objects to the gauge
    _move_calendar(cycle, _start_for(9, 2))
    page.goto(f"{base}/objections/{cycle.pk}/agency/AR-ED/general/{GAUGE}/file/")
    page.locator("#id_reasoning").fill("گزارش سامانهٔ رصد برای دوازده ماه پیوست است.")
    page.get_by_role("button", name="ثبت اعتراض").click()
    page.wait_for_load_state("networkidle")
    objection = Objection.objects.get(participation=assignment.participation, gauge_code=GAUGE)
    # when: staff make a group without the evaluator and send the objection to it
    group_create(
        actor=User.objects.get(username="staff"),
        cycle=cycle,
        name="گروه کارشناسی فناوری",
        members=[User.objects.get(username="staff")],
    )
    page.context.clear_cookies()
    log_in(page, "staff")
    page.goto(f"{base}/objections/{cycle.pk}/{objection.pk}/")
    page.get_by_test_id("route-form").get_by_role("button").click()
    # and a member of the group accepts it with a new answer
    page.goto(f"{base}/objections/{cycle.pk}/{objection.pk}/")
    form = page.get_by_test_id("decide-form")
    form.locator("input[name='d-outcome'][value='accept']").check()
    form.locator("#id_score").fill("۱۶")
    form.locator("#id_d-reasons").fill("گزارش دوازده‌ماهه پذیرفته شد.")
    form.get_by_role("button").last.click()
    page.wait_for_load_state("networkidle")
    objection.refresh_from_db()
    assert objection.state == "accepted" and objection.new_score == 16
    # then: the agency reads the decision and its reasons
    page.context.clear_cookies()
    log_in(page, "agency")
    page.goto(f"{base}/objections/{cycle.pk}/{objection.pk}/")
    expect(page.get_by_test_id("reasons")).to_contain_text("گزارش دوازده‌ماهه پذیرفته شد.")
    # when: the window closes, the deputy approves, the council records, staff publish
    _move_calendar(cycle, _start_for(10, 2))
    ranking = f"{base}/results/{cycle.pk}/public/"
    page.context.clear_cookies()
    log_in(page, "deputy")
    page.goto(f"{base}/results/{cycle.pk}/")
    page.get_by_test_id("approve-form").get_by_role("button").click()
    expect(page.get_by_test_id("stage-deputy")).to_contain_text("محمد نوری")
    assert public.request.get(ranking).status == 404
    page.context.clear_cookies()
    log_in(page, "council")
    page.goto(f"{base}/results/{cycle.pk}/")
    minutes = tmp_path / "minutes.pdf"
    minutes.write_bytes(PDF)
    page.get_by_test_id("council-form").locator("input[type=file]").set_input_files(str(minutes))
    page.get_by_role("button", name="ثبت تصویب رتبه‌بندی در شورا").click()
    expect(page.get_by_test_id("stage-council")).to_contain_text("سارا قاسمی")
    assert public.request.get(ranking).status == 404
    page.context.clear_cookies()
    log_in(page, "staff")
    page.goto(f"{base}/results/{cycle.pk}/")
    page.get_by_test_id("publish-form").get_by_role("button").click()
    expect(page.get_by_test_id("stage-release")).to_be_visible()
    # then: the public ranking appears, with the agency in it
    public.goto(ranking)
    expect(public.get_by_test_id("public-AR-ED")).to_be_visible()
    assert page.problems == [] and public.problems == []
