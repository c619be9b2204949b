"""The one starting state of every example, and the few names the machine uses for it.

``build_base()``, on top of the ``demo`` fixture: a published Ardabil cycle on a four-gauge
catalogue (two gauges the evaluator scores, one the welfare directorate answers by inquiry,
one convergence gauge), with AR-ED and AR-EF taking part, the demo evaluator assigned to AR-ED,
two expert groups, and one user of every role, and of the wrong province, agency and body, and
one person who is both deputy and council member. A small catalogue is the point: the whole
cycle, from the first answer to the release, fits in a few dozen real service calls.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import time_machine

from karnameh.accounts import demo_data
from karnameh.accounts.models import Role, RoleAssignment, User
from karnameh.agencies.models import Agency, AssessingBody, Province
from karnameh.catalogue.tests.builders import gauge, make
from karnameh.cycles.deadlines import TEHRAN, end_of_day
from karnameh.cycles.models import Participation
from karnameh.cycles.steps import planned_dates
from karnameh.cycles.tests.builders import START, open_cycle
from karnameh.evaluations.services import assignment_add
from karnameh.inquiries.models import Topic
from karnameh.objections.groups import group_create
from tests.test_embargo import user_of

REVIEWED = ("1.1.1", "1.1.2")  # the evaluator's
BODY = "1.2.1"  # the welfare directorate's, by inquiry
LATER = "1.3.1"  # convergence: scored at the end from the two totals
GAUGES = (*REVIEWED, BODY, LATER)
MAX = {"1.1.1": Decimal(10), "1.1.2": Decimal(10), BODY: Decimal(5), LATER: Decimal(5)}
# Evaluation scores with two decimals, which no self-score here has (self-scores are quarters
# of the maximum): a page showing one of these shows an evaluation score.
SECRET = {
    "1.1.1": ("1.35", "4.15", "6.85", "9.65"),
    "1.1.2": ("2.65", "5.35", "8.15", "9.85"),
    BODY: ("0.85", "2.35", "3.65", "4.15"),
}


def catalogue_data() -> dict[str, Any]:
    def indicator(code: str, gauges: list[dict[str, Any]], **more: Any) -> dict[str, Any]:
        return {
            "code": code,
            "title": f"شاخص {code}",
            "unit": "score",
            "max_score": sum(g["max_score"] for g in gauges),
            "gauges": gauges,
            **more,
        }

    convergence = {
        "kind": "convergence",
        "cases": [{"when": "gap <= 5", "share": 1}, {"share": 0}],
    }
    return {
        "format": "karnameh-catalogue/1",
        "code": "provincial-1403-workflow",
        "title": "شاخص‌نامهٔ آزمون گردش کار",
        "year": 1403,
        "level": "provincial",
        "kind": "general",
        "max_score": 30,
        "axes": [
            {
                "code": "1",
                "title": "محور یکم",
                "max_score": 30,
                "indicators": [
                    indicator("1.1", [gauge("1.1.1", 10), gauge("1.1.2", 10)]),
                    indicator("1.2", [gauge(BODY, 5)], assessor="welfare"),
                    indicator("1.3", [gauge(LATER, 5, rule=convergence)]),
                ],
            }
        ],
    }


# Who holds which role where; the demo's own ten users are added to these.
EXTRA_USERS: dict[str, tuple[str, dict[str, str]]] = {
    "ev-free": (Role.EVALUATOR, {"province": "ardabil"}),  # expert group A's member
    "ev-other": (Role.EVALUATOR, {"province": "ardabil"}),  # assigned nowhere, in no group
    "ev-ilam": (Role.EVALUATOR, {"province": "ilam"}),
    "ilam-staff": (Role.STAFF, {"province": "ilam"}),
    "ilam-deputy": (Role.DEPUTY, {"province": "ilam"}),
    "ilam-council": (Role.COUNCIL, {"province": "ilam"}),
    "ef-user": (Role.AGENCY, {"agency": "AR-EF"}),
    "finance": (Role.ASSESSOR, {"assessing_body": "finance"}),
    "both": (Role.DEPUTY, {"province": "ardabil"}),  # and a council member: see build_base
}
DEMO_USERS = tuple(demo_data.USERS)  # admin, staff, evaluator, agency, office, hq, …
ACTORS = (*DEMO_USERS, *EXTRA_USERS)


def _scope(values: dict[str, str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name, code in values.items():
        model: Any = {"province": Province, "agency": Agency, "assessing_body": AssessingBody}
        found[name] = model[name].objects.get(code=code)
    return found


@dataclass(frozen=True)
class Base:
    cycle: int
    ed: int  # AR-ED's participation: the one the machine drives
    ef: int  # AR-EF's: takes part, never acts
    assignment: int
    groups: dict[str, int]
    welfare: int  # the welfare directorate's inquiry topic
    users: dict[str, int]
    # step number -> (first day, last day), as the cycle was laid out
    steps: dict[int, tuple[dt.date, dt.date]]

    @property
    def start(self) -> dt.datetime:
        """10:00 in Tehran on the first day of step 6 (self-assessment)."""
        return dt.datetime.combine(self.steps[6][0], dt.time(10), tzinfo=TEHRAN)

    def closes(self, step: int) -> dt.datetime:
        return end_of_day(self.steps[step][1])

    def opens(self, step: int) -> dt.datetime:
        return end_of_day(self.steps[step][0] - dt.timedelta(days=1))

    def moments(self) -> list[dt.datetime]:
        """Where the clock may jump to: each step's first day and middle, and the minutes
        either side of each deadline."""
        found = set()
        for number in range(6, 13):
            first, last = self.steps[number]
            middle = first + (last - first) / 2
            for day in (first, middle):
                found.add(dt.datetime.combine(day, dt.time(10), tzinfo=TEHRAN))
            for minutes in (-1, 1):
                found.add(self.closes(number) + dt.timedelta(minutes=minutes))
        return sorted(found)


def build_base() -> Base:
    """The starting state, on top of the ``demo`` fixture (see the module's docstring)."""
    steps = {n: (first, last) for n, first, last in planned_dates(START)}
    day = dt.datetime.combine(steps[6][0], dt.time(9), tzinfo=TEHRAN)
    with time_machine.travel(day, tick=False):
        catalogue = make(catalogue_data(), frozen=True)
        cycle = open_cycle(agencies=("AR-ED", "AR-EF"), catalogue=catalogue)
        for username, (role, scope) in EXTRA_USERS.items():
            user_of(username, role, **_scope(scope))
        both = User.objects.get(username="both")
        RoleAssignment.objects.create(
            user=both, role=Role.COUNCIL, **_scope({"province": "ardabil"})
        )
        users = {u.username: u for u in User.objects.filter(username__in=ACTORS)}
        ed = Participation.objects.get(cycle=cycle, agency__code="AR-ED")
        ef = Participation.objects.get(cycle=cycle, agency__code="AR-EF")
        assignment = assignment_add(
            actor=users["staff"], participation=ed, evaluator=users["evaluator"], scope="general"
        )
        groups = {
            name: group_create(
                actor=users["staff"], cycle=cycle, name=f"گروه {name}", members=[users[member]]
            ).pk
            for name, member in (("A", "ev-free"), ("B", "evaluator"))
        }
    return Base(
        cycle=cycle.pk,
        ed=ed.pk,
        ef=ef.pk,
        assignment=assignment.pk,
        groups=groups,
        welfare=Topic.objects.get(body__code="welfare").pk,
        users={name: user.pk for name, user in users.items()},
        steps=steps,
    )
