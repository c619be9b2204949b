"""The twelve steps of a cycle (seed 003): title, who is responsible, planned duration.

Planned dates default to these durations laid end to end from the cycle's start (210 days,
the seed's "7 months"); staff move them on the cycle's calendar page.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from karnameh.accounts.models import Role


@dataclass(frozen=True)
class StepKind:
    number: int
    title: object
    role: str
    days: int


STEPS: tuple[StepKind, ...] = (
    StepKind(1, _("Publish the circular and the general indicators"), Role.STAFF, 2),
    StepKind(2, _("Name and train the general and specific evaluators"), Role.STAFF, 6),
    StepKind(3, _("Fix the participating agencies"), Role.STAFF, 2),
    StepKind(4, _("Training workshop for the agencies"), Role.STAFF, 5),
    StepKind(5, _("Draft the agencies' specific indicators"), Role.STAFF, 60),
    StepKind(6, _("Agencies enter their self-assessment"), Role.AGENCY, 30),
    StepKind(7, _("Transfer after approval by the headquarters"), Role.AGENCY, 30),
    StepKind(8, _("Expert evaluation by the organization's evaluators"), Role.EVALUATOR, 30),
    StepKind(9, _("Objections filed and reviewed"), Role.AGENCY, 10),
    StepKind(10, _("Final review and approval of the scores"), Role.DEPUTY, 15),
    StepKind(
        11, _("Ranking and final report after the steering council approves"), Role.COUNCIL, 10
    ),
    StepKind(12, _("The Shahid Rajaei festival"), Role.STAFF, 10),
)
STEP_BY_NUMBER = {step.number: step for step in STEPS}

# Steps named in code.
SPECIFIC_INDICATORS = 5
SELF_ASSESSMENT = 6
TRANSFER = 7
WORKSHOP_STEPS = (2, 4)
# Seed 000: provincial slices of national specific indicators are due two weeks after notice.
SLICE_DAYS = 14


def planned_dates(start: dt.date) -> list[tuple[int, dt.date, dt.date]]:
    """Each step's planned first and last day, laid end to end from ``start``."""
    dates = []
    day = start
    for step in STEPS:
        last = day + dt.timedelta(days=step.days - 1)
        dates.append((step.number, day, last))
        day = last + dt.timedelta(days=1)
    return dates
