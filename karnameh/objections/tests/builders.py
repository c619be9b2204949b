"""An agency with scored gauges, an expert group, and state snapshots, on top of ``demo``.

cycle = open_cycle()
scored(cycle)                          # AR-ED's gauge 3.1.4 scored 0 by «evaluator», approved
with in_window(cycle):                 # day 3 of step 9, 10:00 in Tehran
    objection = file(cycle)            # filed by the demo agency user
"""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from karnameh.accounts.models import Role, User
from karnameh.agencies.models import Province
from karnameh.audit.models import AuditEvent
from karnameh.common.factories import user_with_role
from karnameh.cycles.models import AssessmentState, Cycle
from karnameh.cycles.tests.builders import participation, step_day
from karnameh.evaluations.models import Assignment, Review
from karnameh.notifications.models import Notification
from karnameh.objections.groups import group_create
from karnameh.objections.models import ExpertGroup, Meeting, Objection
from karnameh.objections.services import objection_file

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# Gauge 3.1.4: total staff within the approved posts -> 10 points, else 0.
GAUGE = "3.1.4"
OVER = {"fields": {"posts": 100, "staff_total": 120}}
WITHIN = {"fields": {"posts": 100, "staff_total": 90}}
NOTES = "تعداد کارکنان از پست‌های مصوب بیشتر است."
ROLES = (
    "admin",
    "staff",
    "evaluator",
    "agency",
    "office",
    "hq",
    "assessor",
    "deputy",
    "council",
    "national",
)


def user(name: str) -> User:
    return User.objects.get(username=name)


def pdf(name: str = "مستند.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def scored(
    cycle: Cycle,
    code: str = "AR-ED",
    *,
    gauges: dict[str, dict[str, Any]] | None = None,
    who: User | None = None,
    approved: bool = True,
    deficiencies: str = NOTES,
) -> Assignment:
    """The agency's general part reviewed by ``who`` (the demo evaluator) on these gauges."""
    p = participation(cycle, code)
    p.state = AssessmentState.TRANSFERRED
    p.save(update_fields=["state"])
    now = timezone.now()
    assignment, _made = Assignment.objects.get_or_create(
        participation=p,
        evaluator=who or user("evaluator"),
        scope="general",
        removed_at=None,
        defaults={
            "origin": "internal",
            "assigned_by": user("staff"),
            "assigned_at": now,
            "approved_at": now if approved else None,
        },
    )
    for gauge, data in (gauges or {GAUGE: OVER}).items():
        Review.objects.create(
            assignment=assignment,
            participation=p,
            part="general",
            gauge_code=gauge,
            data=data,
            deficiencies=deficiencies,
        )
    return assignment


def window_day(cycle: Cycle, offset: int = 2) -> dt.datetime:
    return step_day(cycle, 9, offset=offset)


@contextmanager
def in_window(cycle: Cycle, offset: int = 2) -> Iterator[None]:
    with time_machine.travel(window_day(cycle, offset), tick=False):
        yield


def file(
    cycle: Cycle,
    code: str = "AR-ED",
    gauge: str = GAUGE,
    *,
    actor: User | None = None,
    reasoning: str = "کارکنان قراردادی پایان‌کار در شمار کارکنان آمده‌اند.",
) -> Objection:
    with in_window(cycle):
        return objection_file(
            actor=actor or user("agency"),
            participation=participation(cycle, code),
            part="general",
            gauge_code=gauge,
            reasoning=reasoning,
            uploads=[pdf()],
        )


def ardabil(role: str, username: str | None = None) -> User:
    """Another user with a province role in Ardabil (a second staff member, an evaluator)."""
    made = user_with_role(role, province=Province.objects.get(code="ardabil"))
    if username:
        made.username = username
        made.save(update_fields=["username"])
    return made


def group(cycle: Cycle, *members: User, name: str = "گروه کارشناسی ساختار") -> ExpertGroup:
    return group_create(
        actor=user("staff"), cycle=cycle, name=name, members=members or [ardabil(Role.STAFF)]
    )


def state() -> tuple[Any, ...]:
    """Everything a refused action must leave as it was."""
    return (
        list(
            Objection.objects.order_by("pk").values_list(
                "state", "group", "reasons", "answer", "new_score", "old_score", "decided_by"
            )
        ),
        list(ExpertGroup.objects.order_by("pk").values_list("name", "members")),
        Meeting.objects.count(),
        AuditEvent.objects.count(),
        Notification.objects.count(),
    )
