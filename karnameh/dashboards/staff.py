"""The cycle's dashboard for the organization: where every step, agency and evaluator stands.

Built in a fixed number of queries whatever the number of agencies (the test counts them).
It holds counts, states and dates only, never an evaluation score: the organization's side may
see scores before the release, but a dashboard on a shared screen is not the place for them.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from karnameh.cycles.deadlines import TEHRAN
from karnameh.cycles.models import AssessmentState, Cycle, Participation
from karnameh.cycles.selectors import CalendarRow, calendar, visible_participations
from karnameh.evaluations.selectors import board
from karnameh.inquiries.models import Inquiry
from karnameh.inquiries.models import State as InquiryState
from karnameh.inquiries.selectors import visible_inquiries
from karnameh.objections.models import OPEN_STATES, Objection, ObjectionState
from karnameh.results.locks import approvals_in_force, is_released
from karnameh.results.models import Approval, Stage

# States past the agency's own entry: the self-assessment was submitted at least once.
SUBMITTED = (
    AssessmentState.SUBMITTED,
    AssessmentState.OFFICE_APPROVED,
    AssessmentState.HQ_APPROVED,
    AssessmentState.TRANSFERRED,
)


@dataclass(frozen=True)
class StepProgress:
    """A step of the calendar and, where the system can count it, how much of it is done."""

    row: CalendarRow
    done: int | None = None
    total: int | None = None

    @property
    def percent(self) -> int | None:
        if self.total is None or self.done is None:
            return None
        return round(100 * self.done / self.total) if self.total else 0


@dataclass
class EvaluatorQueue:
    """One evaluator's assignments in the cycle: gauges reviewed of their total, approvals."""

    evaluator: Any
    agencies: set[int] = field(default_factory=set)
    assignments: int = 0
    reviewed: int = 0
    total: int = 0
    approved: int = 0


@dataclass
class OverdueTopic:
    """A topic's unanswered inquiries past their last day: one row, however many agencies."""

    topic: Any
    inquiries: list[Inquiry] = field(default_factory=list)
    days_late: int = 0  # of the longest-waiting one

    @property
    def last_day(self) -> dt.date:
        return min(i.last_day() for i in self.inquiries)


@dataclass
class StaffDashboard:
    cycle: Cycle
    now: dt.datetime
    steps: list[StepProgress]
    states: list[tuple[str, str, int]]  # (state, label, agencies in it)
    participants: int
    lagging: list[Participation]  # self-assessment not yet with the organization
    inquiries: dict[str, int]  # sent, answered, overdue
    overdue: list[Inquiry]
    objections: dict[str, int]  # state -> count
    open_objections: list[Objection]
    evaluators: list[EvaluatorQueue]
    approvals: dict[str, Approval]
    released: bool

    @property
    def overdue_topics(self) -> list[OverdueTopic]:
        topics: dict[int, OverdueTopic] = {}
        for inquiry in self.overdue:
            row = topics.setdefault(inquiry.topic_id, OverdueTopic(inquiry.topic))
            row.inquiries.append(inquiry)
            row.days_late = max(row.days_late, inquiry.days_late(self.now))
        return sorted(topics.values(), key=lambda t: (-t.days_late, t.topic.position))

    @property
    def current(self) -> StepProgress | None:
        return next((s for s in self.steps if s.row.current), None)


def _participations(user: Any, cycle: Cycle) -> QuerySet[Participation]:
    return (
        visible_participations(user)
        .filter(cycle=cycle)
        .select_related("specific_catalogue")
        .order_by("agency__code")
    )


def evaluator_queues(cycle: Cycle) -> list[EvaluatorQueue]:
    """Each evaluator's active assignments summed from the staff's board (fixed queries)."""
    queues: dict[int, EvaluatorQueue] = {}
    for row in board(cycle):
        for assignment in row.general + row.specific:
            queue = queues.setdefault(assignment.evaluator_id, EvaluatorQueue(assignment.evaluator))
            queue.agencies.add(row.participation.pk)
            queue.assignments += 1
            total: int = assignment.total  # type: ignore[attr-defined]
            # A review of a gauge since taken out of the evaluator's scope counts no more.
            queue.reviewed += min(assignment.reviewed, total)  # type: ignore[attr-defined]
            queue.total += total
            queue.approved += assignment.approved_at is not None
    return sorted(queues.values(), key=lambda q: q.evaluator.get_username())


def _steps(
    cycle: Cycle,
    participations: list[Participation],
    evaluators: list[EvaluatorQueue],
    objections: dict[str, int],
    approvals: dict[str, Approval],
    today: dt.date,
) -> list[StepProgress]:
    """The calendar, each step given the measure of its work the system holds."""
    n = len(participations)
    states = Counter(p.state for p in participations)
    filed = sum(objections.values()) - objections.get(ObjectionState.WITHDRAWN, 0)
    decided = objections.get(ObjectionState.ACCEPTED, 0) + objections.get(
        ObjectionState.REJECTED, 0
    )
    measures: dict[int, tuple[int, int]] = {
        3: (n, n),
        5: (sum(1 for p in participations if p.specific_catalogue_id), n),
        6: (sum(states[s] for s in SUBMITTED), n),
        7: (states[AssessmentState.TRANSFERRED], n),
        8: (sum(q.approved for q in evaluators), sum(q.assignments for q in evaluators)),
        9: (decided, filed),
        10: (int(Stage.DEPUTY in approvals), 1),
        11: (int(Stage.COUNCIL in approvals), 1),
    }
    rows = []
    for row in calendar(cycle, today=today):
        done, total = measures.get(row.step.number, (None, None))
        rows.append(StepProgress(row, done, total))
    return rows


def staff_dashboard(user: Any, cycle: Cycle, *, now: dt.datetime | None = None) -> StaffDashboard:
    now = now or timezone.now()
    participations = list(_participations(user, cycle))
    counts = Counter(p.state for p in participations)
    labels = dict(AssessmentState.choices)
    states = [(s, str(labels[s]), counts[s]) for s in AssessmentState.values]
    lagging = [p for p in participations if p.state != AssessmentState.TRANSFERRED]

    inquiries = visible_inquiries(user).filter(cycle=cycle)
    sent = Counter(inquiries.values_list("state", flat=True))
    overdue = list(
        inquiries.filter(state=InquiryState.SENT, due_at__lte=now).order_by(
            "due_at", "participation__agency__code", "pk"
        )
    )
    inquiry_counts = {
        "sent": sum(sent.values()),
        "answered": sent[InquiryState.ANSWERED],
        "overdue": len(overdue),
    }

    seen = [p.pk for p in participations]
    objection_states = Counter(
        Objection.objects.filter(participation__in=seen).values_list("state", flat=True)
    )
    objections = {state: objection_states[state] for state in ObjectionState.values}
    open_objections = list(
        Objection.objects.filter(participation__in=seen, state__in=OPEN_STATES)
        .select_related("participation__agency", "group")
        .order_by("filed_at", "pk")
    )

    evaluators = evaluator_queues(cycle)
    approvals = approvals_in_force(cycle)
    today = timezone.localtime(now, TEHRAN).date()
    return StaffDashboard(
        cycle=cycle,
        now=now,
        steps=_steps(cycle, participations, evaluators, objections, approvals, today),
        states=states,
        participants=len(participations),
        lagging=lagging,
        inquiries=inquiry_counts,
        overdue=overdue,
        objections=objections,
        open_objections=open_objections,
        evaluators=evaluators,
        approvals=approvals,
        released=is_released(cycle),
    )
