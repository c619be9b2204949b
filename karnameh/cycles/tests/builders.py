"""Cycles for the tests, built straight as rows on top of the ``demo`` fixture.

cycle = open_cycle()                       # Ardabil 1403 on the 1397 catalogue, published
p = participation(cycle, "AR-ED")          # the demo agency user's participation
freeze_at(step_day(cycle, 6))              # a day inside step 6 (self-assessment)
"""

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from karnameh.agencies.models import Agency, Province
from karnameh.catalogue.models import Catalogue, Status
from karnameh.cycles.deadlines import TEHRAN
from karnameh.cycles.models import Cycle, CycleStatus, Participation, Step
from karnameh.cycles.steps import planned_dates

DEMO_CATALOGUE = "provincial-1397-general"
# 1403/01/01 in the Gregorian calendar: step 6 runs from 1403/03/14 to 1403/04/12.
START = dt.date(2024, 3, 20)


def open_cycle(
    *,
    province: str = "ardabil",
    year: int = 1403,
    agencies: Iterable[str] = ("AR-ED", "AR-EF", "AR-TAX", "AR-WEL"),
    published: bool = True,
    start: dt.date = START,
    catalogue: Catalogue | None = None,
) -> Cycle:
    catalogue = catalogue or Catalogue.objects.get(code=DEMO_CATALOGUE)
    if not catalogue.is_frozen:
        catalogue.status = Status.FROZEN
        catalogue.frozen_at = timezone.now()
        catalogue.save(update_fields=["status", "frozen_at"])
    place = Province.objects.get(code=province)
    cycle = Cycle.objects.create(
        year=year,
        level="provincial",
        province=place,
        title=f"ارزیابی عملکرد {year} استان {place.name}",
        general_catalogue=catalogue,
        status=CycleStatus.PUBLISHED if published else CycleStatus.DRAFT,
        published_at=timezone.now() if published else None,
    )
    Step.objects.bulk_create(
        Step(cycle=cycle, number=n, planned_start=first, planned_end=last)
        for n, first, last in planned_dates(start)
    )
    for code in agencies:
        Participation.objects.create(cycle=cycle, agency=Agency.objects.get(code=code))
    return cycle


def participation(cycle: Cycle, code: str) -> Participation:
    return Participation.objects.select_related("cycle", "agency").get(
        cycle=cycle, agency__code=code
    )


def step_day(cycle: Cycle, number: int, *, offset: int = 0, hour: int = 10) -> dt.datetime:
    """A moment (Tehran, 10:00 by default) on the first day of a step, plus ``offset`` days."""
    step = cycle.steps.get(number=number)
    day = step.planned_start + dt.timedelta(days=offset)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TEHRAN)


def after_step(cycle: Cycle, number: int, *, minutes: int = 1) -> dt.datetime:
    """``minutes`` after the step closed (midnight after its last day, Tehran)."""
    step = cycle.steps.get(number=number)
    closes = dt.datetime.combine(step.planned_end + dt.timedelta(days=1), dt.time(), tzinfo=TEHRAN)
    return closes + dt.timedelta(minutes=minutes)
