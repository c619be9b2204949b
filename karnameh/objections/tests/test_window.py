"""The objection window (step 9) in Tehran time: its first and last second, and either side."""

import datetime as dt

import pytest
import time_machine

from karnameh.common.errors import DomainError
from karnameh.common.jalali import format_jalali_date
from karnameh.cycles.deadlines import TEHRAN
from karnameh.cycles.tests.builders import open_cycle, participation
from karnameh.objections.models import Objection
from karnameh.objections.services import objection_file

from .builders import GAUGE, scored, state, user


def _edges(cycle) -> dict[str, dt.datetime]:
    step = cycle.steps.get(number=9)
    opens = dt.datetime.combine(step.planned_start, dt.time(), tzinfo=TEHRAN)
    closes = dt.datetime.combine(step.planned_end + dt.timedelta(days=1), dt.time(), tzinfo=TEHRAN)
    second = dt.timedelta(seconds=1)
    return {
        "before": opens - second,
        "first": opens,
        "last": closes - second,
        "after": closes,
    }


def _file(cycle):
    return objection_file(
        actor=user("agency"),
        participation=participation(cycle, "AR-ED"),
        part="general",
        gauge_code=GAUGE,
        reasoning="دلیل",
    )


@pytest.mark.parametrize("moment", ["first", "last"])
def test_objections_are_filed_from_the_first_to_the_last_second_of_the_window(demo, moment):
    # given
    cycle = open_cycle()
    scored(cycle)
    # when
    with time_machine.travel(_edges(cycle)[moment], tick=False):
        objection = _file(cycle)
    # then
    assert objection.state == "filed"
    assert Objection.objects.count() == 1


@pytest.mark.parametrize("moment", ["before", "after"])
def test_outside_the_window_filing_is_refused_with_its_jalali_dates(demo, moment):
    # given
    cycle = open_cycle()
    scored(cycle)
    before = state()
    step = cycle.steps.get(number=9)
    # when
    with time_machine.travel(_edges(cycle)[moment], tick=False), pytest.raises(DomainError) as no:
        _file(cycle)
    # then
    assert no.value.code == "window_closed"
    assert state() == before
    assert format_jalali_date(step.planned_start) in no.value.message
    assert format_jalali_date(step.planned_end) in no.value.message


def test_the_window_is_whole_days_in_tehran_not_utc(demo):
    # given: 23:59:59 UTC on the day before is already 03:29:59 of the first day in Tehran
    cycle = open_cycle()
    scored(cycle)
    step = cycle.steps.get(number=9)
    utc_evening = dt.datetime.combine(
        step.planned_start - dt.timedelta(days=1), dt.time(23, 59, 59), tzinfo=dt.UTC
    )
    # when
    with time_machine.travel(utc_evening, tick=False):
        objection = _file(cycle)
    # then
    assert objection.filed_at == utc_evening
