"""When a step closes for one agency: the end of the step's last day in Tehran, or later.

A step's planned end is a date; it closes at midnight after it, Tehran time (stored and
compared in UTC). An extension granted to one agency (``Participation.extended_until``) keeps
its entry and approvals open until then, if that is later.
"""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone

from karnameh.common.jalali import format_jalali_date

from .models import Participation, Step

TEHRAN = ZoneInfo("Asia/Tehran")


def end_of_day(day: dt.date) -> dt.datetime:
    """The first moment after ``day`` in Tehran: a deadline "until 1403/04/12" means this."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=TEHRAN)


def step_closes(steps: dict[int, Step], number: int) -> dt.datetime | None:
    step = steps.get(number)
    return end_of_day(step.planned_end) if step else None


@dataclass(frozen=True)
class Deadline:
    closes: dt.datetime | None
    extended: bool

    def passed(self, now: dt.datetime | None = None) -> bool:
        return self.closes is not None and (now or timezone.now()) >= self.closes

    def label(self) -> str:
        """«۱۴۰۳/۰۴/۱۲»: the last day on which the step is open."""
        if self.closes is None:
            return ""
        return format_jalali_date((self.closes.astimezone(TEHRAN) - dt.timedelta(seconds=1)).date())


def steps_of(participation: Participation) -> dict[int, Step]:
    """The cycle's steps by number, read once per participation object."""
    cached: dict[int, Step] | None = getattr(participation, "_steps", None)
    if cached is None:
        cached = {step.number: step for step in participation.cycle.steps.all()}
        setattr(participation, "_steps", cached)  # noqa: B010 (not a model field)
    return cached


def deadline(participation: Participation, number: int) -> Deadline:
    """When step ``number`` closes for this agency, counting its extension."""
    closes = step_closes(steps_of(participation), number)
    extension = participation.extended_until
    if extension is not None and (closes is None or extension > closes):
        return Deadline(extension, True)
    return Deadline(closes, False)
