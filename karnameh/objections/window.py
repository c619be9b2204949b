"""The objection window: step 9 of the cycle's calendar, whole days in Tehran.

It opens at the start of the step's first day and closes at midnight after its last day
(``cycles.deadlines.end_of_day``). An agency's extension of its self-assessment does not move
it: the window is the same for every agency of the cycle.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from karnameh.common.errors import DomainError
from karnameh.common.jalali import format_jalali_date
from karnameh.cycles.deadlines import end_of_day
from karnameh.cycles.models import Cycle

OBJECTIONS_STEP = 9


@dataclass(frozen=True)
class Window:
    first_day: dt.date
    last_day: dt.date

    @property
    def opens(self) -> dt.datetime:
        return end_of_day(self.first_day - dt.timedelta(days=1))

    @property
    def closes(self) -> dt.datetime:
        return end_of_day(self.last_day)

    def is_open(self, now: dt.datetime | None = None) -> bool:
        moment = now or timezone.now()
        return self.opens <= moment < self.closes

    def label(self) -> str:
        return _("from %(first)s to %(last)s") % {
            "first": format_jalali_date(self.first_day),
            "last": format_jalali_date(self.last_day),
        }


def objection_window(cycle: Cycle) -> Window | None:
    step = next((s for s in cycle.steps.all() if s.number == OBJECTIONS_STEP), None)
    return Window(step.planned_start, step.planned_end) if step else None


def check_window(cycle: Cycle) -> None:
    """Refuse, naming the window's Jalali dates, unless objections may be filed now."""
    window = objection_window(cycle)
    if window is None:
        raise DomainError(_("This cycle's calendar has no objection step."), code="no_window")
    now = timezone.now()
    if now < window.opens:
        raise DomainError(
            _("The objection window has not opened yet: objections are filed %(window)s.")
            % {"window": window.label()},
            code="window_closed",
        )
    if now >= window.closes:
        raise DomainError(
            _("The objection window has closed: objections were filed %(window)s.")
            % {"window": window.label()},
            code="window_closed",
        )
