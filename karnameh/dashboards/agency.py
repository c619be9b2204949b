"""One agency's dashboard: its own way through the steps and, once released, its results.

Before the release it holds states, dates, receipts and counts, never an evaluation score (the
embargo: tests/test_embargo.py requests this page as everyone who must not see one). After the
release it adds the agency's fixed result, its place in the ranking and its axes.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from karnameh.accounts.models import User
from karnameh.cycles.deadlines import TEHRAN, Deadline, deadline
from karnameh.cycles.models import Participation
from karnameh.cycles.selectors import CalendarRow, calendar
from karnameh.cycles.steps import SELF_ASSESSMENT, TRANSFER
from karnameh.evaluations.reviewing import attach_totals, with_progress
from karnameh.inquiries.models import Inquiry
from karnameh.inquiries.models import State as InquiryState
from karnameh.objections.models import OPEN_STATES, Objection, ObjectionState
from karnameh.results.locks import is_released
from karnameh.results.ranking import Standing, standings


@dataclass(frozen=True)
class Milestone:
    """A point the self-assessment passed: when, and by whom."""

    key: str
    label: object
    at: dt.datetime | None
    by: Any


@dataclass(frozen=True)
class EvaluatorProgress:
    """One evaluator's part of this agency, without their name: the agency sees progress."""

    scope: str
    origin: str
    reviewed: int
    total: int
    approved: bool


@dataclass
class AgencyDashboard:
    participation: Participation
    now: dt.datetime
    steps: list[CalendarRow]
    milestones: list[Milestone]
    entry: Deadline  # when step 6 closes for this agency (with its extension)
    transfer: Deadline  # when step 7 closes
    evaluators: list[EvaluatorProgress]
    inquiries: dict[str, int]  # sent, answered, overdue
    objections: list[Objection]
    released: bool
    standing: Standing | None = None
    ranked: int = 0  # agencies in the ranking
    axes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def open_objections(self) -> int:
        return sum(1 for o in self.objections if o.state in OPEN_STATES)

    @property
    def decided_objections(self) -> int:
        decided = (ObjectionState.ACCEPTED, ObjectionState.REJECTED)
        return sum(1 for o in self.objections if o.state in decided)


def _milestones(participation: Participation) -> list[Milestone]:
    p = participation
    stamps = [
        ("submitted", _("Submitted"), p.submitted_at, p.submitted_by_id),
        (
            "office_approved",
            _("Approved by the agency's council"),
            p.office_approved_at,
            p.office_approved_by_id,
        ),
        ("hq_approved", _("Approved by the headquarters"), p.hq_approved_at, p.hq_approved_by_id),
        (
            "transferred",
            _("Transferred to the organization"),
            p.transferred_at,
            p.transferred_by_id,
        ),
    ]
    people = User.objects.in_bulk([pk for *_rest, pk in stamps if pk is not None])
    return [
        Milestone(key, label, at, people.get(pk) if pk else None) for key, label, at, pk in stamps
    ]


def _evaluators(participation: Participation) -> list[EvaluatorProgress]:
    cycle = participation.cycle
    found = with_progress(cycle, Participation.objects.filter(pk=participation.pk)).first()
    if found is None:
        return []
    return [
        EvaluatorProgress(
            scope=a.scope,
            origin=a.origin,
            reviewed=min(a.reviewed, a.total),  # type: ignore[attr-defined]
            total=a.total,  # type: ignore[attr-defined]
            approved=a.approved_at is not None,
        )
        for a in attach_totals(found, cycle)
    ]


def _inquiries(participation: Participation, now: dt.datetime) -> dict[str, int]:
    rows = Inquiry.objects.filter(participation=participation).values_list("state", "due_at")
    states = [(state, due) for state, due in rows]
    return {
        "sent": len(states),
        "answered": sum(1 for s, _d in states if s == InquiryState.ANSWERED),
        "overdue": sum(1 for s, d in states if s == InquiryState.SENT and now >= d),
    }


def agency_dashboard(
    participation: Participation, *, now: dt.datetime | None = None
) -> AgencyDashboard:
    now = now or timezone.now()
    cycle = participation.cycle
    steps = calendar(cycle, today=timezone.localtime(now, TEHRAN).date())
    # cycles.deadlines reads the steps from here instead of asking the database again.
    participation._steps = {row.step.number: row.step for row in steps}  # type: ignore[attr-defined]
    board = AgencyDashboard(
        participation=participation,
        now=now,
        steps=steps,
        milestones=_milestones(participation),
        entry=deadline(participation, SELF_ASSESSMENT),
        transfer=deadline(participation, TRANSFER),
        evaluators=_evaluators(participation),
        inquiries=_inquiries(participation, now),
        objections=list(
            Objection.objects.filter(participation=participation)
            .select_related("participation__agency", "group")
            .order_by("filed_at", "pk")
        ),
        released=is_released(cycle),
    )
    if board.released:
        # The embargo is lifted: the agency's place among all, and within its peer group.
        ranking = standings(cycle)
        board.ranked = len(ranking)
        board.standing = next(
            (s for s in ranking if s.result.participation_id == participation.pk), None
        )
        if board.standing is not None:
            board.axes = list(board.standing.result.axes or [])
    return board
