"""The province report (step 11): its figures on a cycle built end to end."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from karnameh.accounts.models import User
from karnameh.common.templatetags.fa import fa
from karnameh.cycles.models import AssessmentState, Cycle, Participation
from karnameh.cycles.tests.builders import after_step, open_cycle, participation, step_day
from karnameh.evaluations.models import Review
from karnameh.inquiries.models import Inquiry
from karnameh.inquiries.selectors import inquiry_gauges
from karnameh.inquiries.services import inquiries_send, inquiry_answer
from karnameh.objections.groups import group_create
from karnameh.objections.services import (
    objection_decide,
    objection_file,
    objection_record,
    objection_route,
)
from karnameh.reports.province import province_report
from karnameh.results.models import Release, Result
from karnameh.results.services import final_approve
from karnameh.results.tests.builders import evaluate


def person(name: str) -> User:
    return User.objects.get(username=name)


def transfer(p: Participation, when: dt.datetime | None, **extra: Any) -> None:
    p.state = AssessmentState.TRANSFERRED if when else AssessmentState.DRAFT
    p.transferred_at = when
    for name, value in extra.items():
        setattr(p, name, value)
    p.save()


def approve(cycle: Cycle) -> None:
    with time_machine.travel(after_step(cycle, 9), tick=False):
        final_approve(actor=person("deputy"), cycle=cycle)


def answer_welfare(p: Participation) -> None:
    inquiry = Inquiry.objects.get(participation=p, topic__body__code="welfare")
    answers = {
        gauge.code: {"score": int(gauge.max_score) // 4} for _i, gauge in inquiry_gauges(inquiry)
    }
    inquiry_answer(actor=person("assessor"), inquiry=inquiry, answers=answers)


def decided(p: Participation, gauge: str, *, accepted: bool, in_person: bool) -> None:
    reasoning = "مستندات تازه پیوست است."
    if in_person:
        objection = objection_record(
            actor=person("staff"),
            participation=p,
            part="general",
            gauge_code=gauge,
            reasoning=reasoning,
            representative="نمایندهٔ دستگاه",
        )
    else:
        objection = objection_file(
            actor=person("agency"),
            participation=p,
            part="general",
            gauge_code=gauge,
            reasoning=reasoning,
        )
    group = group_create(
        actor=person("staff"),
        cycle=p.cycle,
        name=f"گروه {gauge} {p.agency.code}",
        members=[person("staff")],
    )
    objection_route(actor=person("staff"), objection=objection, group=group)
    objection_decide(
        actor=person("staff"),
        objection=objection,
        accepted=accepted,
        reasons="بررسی شد.",
        data={"score": 17} if accepted else None,
    )


@pytest.fixture
def cycle(demo: Any) -> Cycle:
    """Ardabil 1403 with four agencies (two social, two economic), scored and approved:

    - AR-ED transferred on time, AR-EF a day late, AR-TAX late but inside its extension,
      AR-WEL never transferred;
    - the welfare body answered AR-ED's inquiry on time and AR-EF's late, never the others;
    - AR-ED objected online to 2.10.1 (accepted: 17 points), AR-TAX in person to 1.1.1
      (rejected).
    """
    found = open_cycle()
    evaluate(found)
    closes = after_step(found, 7, minutes=0)
    transfer(participation(found, "AR-ED"), step_day(found, 7, offset=3))
    transfer(participation(found, "AR-EF"), closes + dt.timedelta(days=1))
    transfer(
        participation(found, "AR-TAX"),
        closes + dt.timedelta(days=1),
        extended_until=closes + dt.timedelta(days=3),
    )
    transfer(participation(found, "AR-WEL"), None)
    with time_machine.travel(step_day(found, 8), tick=False):
        inquiries_send(actor=person("staff"), cycle=found)
        answer_welfare(participation(found, "AR-ED"))
    with time_machine.travel(step_day(found, 8, offset=20), tick=False):
        answer_welfare(participation(found, "AR-EF"))
    with time_machine.travel(step_day(found, 9, offset=2), tick=False):
        decided(participation(found, "AR-ED"), "2.10.1", accepted=True, in_person=False)
        decided(participation(found, "AR-TAX"), "1.1.1", accepted=False, in_person=True)
    approve(found)
    return found


def test_participation_counts_agencies_by_type_transfers_and_punctuality(cycle: Cycle) -> None:
    # when
    turnout = province_report(cycle).turnout
    # then
    assert turnout is not None
    rows = {r.agency_type.code: (r.taking_part, r.transferred, r.on_time) for r in turnout.rows}
    assert rows == {"social": (2, 1, 1), "economic": (2, 2, 1)}
    assert (turnout.taking_part, turnout.transferred, turnout.on_time) == (4, 3, 2)


def test_axis_figures_are_percent_of_each_agencys_axis_maximum(cycle: Cycle) -> None:
    # given: axis 1 fixed at 10, 20, 30 and 40 of 50 points, axis 2 of one agency out of 0
    for score, result in zip((10, 20, 30, 40), Result.objects.order_by("pk"), strict=True):
        for axis in result.axes:
            if axis["code"] == "1":
                axis.update(score=score, max=50)
        result.save(update_fields=["axes"])
    # when
    spreads = {s.code: s for s in province_report(cycle).spreads}
    # then
    one = spreads["1"]
    assert sorted(one.values) == [Decimal(20), Decimal(40), Decimal(60), Decimal(80)]
    assert (one.mean, one.median, one.low, one.high) == (50, 50, 20, 80)
    assert list(spreads) == ["1", "2", "3", "4", "5", "6", "7"]


def test_ranking_shows_peer_groups_and_the_change_since_last_year(cycle: Cycle) -> None:
    # given: last year's released results of three of the agencies
    earlier = open_cycle(year=1402, agencies=("AR-ED", "AR-EF", "AR-TAX"))
    now = timezone.now()
    for p in earlier.participations.all():
        Result.objects.create(
            participation=p,
            self_total=50,
            general=500,
            general_max=1000,
            final=Decimal("60.00"),
            fixed_at=now,
        )
    Release.objects.create(cycle=earlier, released_by=person("staff"), released_at=now)
    # when
    report = province_report(cycle)
    # then
    finals = [s.result.final for s in report.standings]
    assert finals == sorted(finals, reverse=True) and report.standings[0].rank == 1
    change = {s.agency.code: s.change for s in report.standings}
    ed = Result.objects.get(participation__cycle=cycle, participation__agency__code="AR-ED")
    assert change["AR-ED"] == ed.final - Decimal(60) and change["AR-WEL"] is None
    groups = {kind.code: [s.agency.code for s in members] for kind, members in report.groups}
    assert set(groups) == {"social", "economic"}
    assert sorted(groups["social"]) == ["AR-ED", "AR-WEL"]
    assert [s.peer_rank for _k, members in report.groups for s in members][:1] == [1]


def test_objections_are_counted_by_way_outcome_and_agency(cycle: Cycle) -> None:
    # given
    old = Review.objects.get(
        participation__cycle=cycle, participation__agency__code="AR-ED", gauge_code="2.10.1"
    ).score
    # when
    summary = province_report(cycle).objections
    # then
    assert summary is not None
    assert (summary.filed, summary.online, summary.in_person) == (2, 1, 1)
    assert (summary.accepted, summary.rejected, summary.withdrawn, summary.open) == (1, 1, 0, 0)
    rows = {r.agency.code: (r.filed, r.accepted, r.rejected, r.points) for r in summary.by_agency}
    assert rows == {"AR-ED": (1, 1, 0, Decimal(17) - old), "AR-TAX": (1, 0, 1, Decimal(0))}
    assert summary.points == Decimal(17) - old


def test_inquiries_are_counted_by_body_on_time_late_and_overdue(cycle: Cycle) -> None:
    # when
    rows = {r.body.code: r for r in province_report(cycle).inquiries}
    # then: every body was asked about every agency; only welfare answered, and only twice
    welfare = rows["welfare"]
    assert (welfare.sent, welfare.on_time, welfare.late, welfare.overdue) == (4, 1, 1, 2)
    others = [r for code, r in rows.items() if code != "welfare"]
    assert others and all(r.on_time == r.late == 0 and r.overdue == r.sent for r in others)


def test_convergence_sets_each_self_assessment_beside_the_final_score(cycle: Cycle) -> None:
    # when
    rows = province_report(cycle).convergence
    # then
    results = {r.participation.agency.code: r for r in Result.objects.all()}
    assert {r.agency.code for r in rows} == set(results)
    for row in rows:
        fixed = results[row.agency.code]
        assert row.gap == fixed.final - fixed.self_total
        convergence = next(g for g in fixed.gauges if g["code"] == "7.1.3")
        assert (row.gauge_score, row.gauge_max) == (convergence["score"], convergence["max"])
    # The agreed answers leave AR-TAX (no objection upheld, no body's answer) one point short:
    # the convergence gauge it did not score itself, full.
    tax = next(r for r in rows if r.agency.code == "AR-TAX")
    assert (tax.gap, tax.gauge_score, tax.gauge_max) == (Decimal(1), 10, 10)
    gaps = [abs(r.gap) for r in rows]
    assert gaps == sorted(gaps, reverse=True)


def test_the_analytic_part_names_the_gauges_the_province_is_weak_in(cycle: Cycle) -> None:
    # given: every general gauge at its maximum but 2.4.1 (0, 0, 0 and full) and 1.1.1 (0,
    # and not applicable to one agency: it counts for three)
    for index, result in enumerate(Result.objects.order_by("participation__agency__code")):
        for gauge in result.gauges:
            gauge.update(score=gauge["max"], status="scored")
            if gauge["code"] == "2.4.1" and index < 3:
                gauge["score"] = 0
            if gauge["code"] == "1.1.1":
                gauge.update(score=0, status="not_applicable" if index == 0 else "scored")
        result.save(update_fields=["gauges"])
    # when
    found = province_report(cycle).pathology
    # then
    assert found is not None
    first, second = found.gauges[:2]
    assert (first.code, first.average, first.counted, first.under_half) == ("1.1.1", 0, 3, 3)
    assert (second.code, second.average, second.counted, second.under_half) == (
        "2.4.1",
        25,
        4,
        3,
    )
    assert all(g.average == 100 for g in found.gauges[2:])
    assert fa("2.4.1") in second.summary and fa(Decimal("25.0")) in second.summary
    weakest = {a.code: a.indicators[0] for a in found.axes}
    assert weakest["1"].code == "1.1" and weakest["1"].average < 100
    assert weakest["2"].code == "2.4" and weakest["2"].average < 100
    assert weakest["3"].average == 100
