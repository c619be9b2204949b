"""Reading assignments: the staff's board of a cycle and an evaluator's queue."""

from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet
from django.shortcuts import get_object_or_404

from karnameh.accounts.models import User
from karnameh.accounts.permissions import may, require
from karnameh.cycles.models import AssessmentState, Cycle, Participation
from karnameh.cycles.selectors import visible_cycle

from .models import Assignment, ConflictDeclaration
from .reviewing import attach_totals, with_progress
from .rules import QueueOf
from .suggest import province_evaluators, workload


def active_assignments(cycle: Cycle) -> QuerySet[Assignment]:
    return Assignment.objects.filter(
        participation__cycle=cycle, removed_at__isnull=True
    ).select_related("evaluator", "participation__agency")


@dataclass(frozen=True)
class BoardRow:
    participation: Participation
    general: list[Assignment]
    specific: list[Assignment]


@dataclass(frozen=True)
class Load:
    evaluator: User
    scope: str
    origin: str
    count: int


def board(cycle: Cycle) -> list[BoardRow]:
    """Every participation with its active assignments and their progress (reviewed of total
    gauges, from the compiled catalogues), in a fixed number of queries."""
    participations = with_progress(
        cycle, Participation.objects.filter(cycle=cycle).select_related("agency")
    ).order_by("agency__code")
    rows = []
    for p in participations:
        active = attach_totals(p, cycle)
        rows.append(
            BoardRow(
                participation=p,
                general=[a for a in active if a.scope == "general"],
                specific=[a for a in active if a.scope == "specific"],
            )
        )
    return rows


def evaluator_loads(cycle: Cycle) -> list[Load]:
    """Each evaluator of the cycle's province and how many assignments they hold in it."""
    counts = workload(cycle)
    roles = province_evaluators(cycle).order_by("user__username")
    return [
        Load(r.user, r.evaluator_scope, r.evaluator_origin, counts.get(r.user_id, 0)) for r in roles
    ]


def queue_evaluator(user: Any, cycle: Cycle, username: str | None) -> User:
    """Whose queue is shown: the user's own, or (staff) the named evaluator's in the province."""
    if not username or username == user.get_username():
        evaluator: User = user
    else:
        evaluator = get_object_or_404(
            User.objects.filter(pk__in=province_evaluators(cycle).values("user_id")),
            username=username,
        )
    require(user, "evaluation.queue", QueueOf(cycle, evaluator))
    return evaluator


@dataclass(frozen=True)
class Queue:
    assignments: list[Assignment]
    ready: int
    total: int


def queue(cycle: Cycle, evaluator: User) -> Queue:
    """The evaluator's active assignments in the cycle; ready = self-assessment transferred.

    Each assignment carries its progress (``reviewed`` of ``total`` gauges), as on the board.
    """
    participations = with_progress(
        cycle,
        Participation.objects.filter(
            cycle=cycle,
            assignments__evaluator=evaluator,
            assignments__removed_at__isnull=True,
        )
        .distinct()
        .select_related("agency"),
    ).order_by("agency__code")
    assignments = []
    for p in participations:
        assignments += [a for a in attach_totals(p, cycle) if a.evaluator_id == evaluator.pk]
    # Two parts of one agency are one agency to prepare for.
    agencies = {a.participation_id: a.participation.state for a in assignments}
    ready = sum(1 for state in agencies.values() if state == AssessmentState.TRANSFERRED)
    return Queue(assignments=assignments, ready=ready, total=len(agencies))


def cycle_participation(cycle: Cycle, pk: int) -> Participation:
    return get_object_or_404(
        Participation.objects.select_related("cycle", "agency"), cycle=cycle, pk=pk
    )


def assignable_cycle(user: Any, pk: int) -> Cycle:
    """A cycle whose evaluators this user assigns (the board, pages and API alike)."""
    cycle = visible_cycle(user, pk)
    require(user, "evaluation.assign", cycle)
    return cycle


def _conflicts(user: Any, cycle: Cycle) -> QuerySet[ConflictDeclaration]:
    found = ConflictDeclaration.objects.filter(Q(agency__province_id=cycle.province_id))
    if not may(user, "evaluation.assign", cycle):
        found = found.filter(evaluator_id=user.pk)
    return found.select_related("evaluator", "agency", "declared_by", "withdrawn_by")


def declared_conflicts(
    user: Any, cycle: Cycle, evaluator: User | None = None
) -> list[ConflictDeclaration]:
    """Conflicts declared with agencies of the cycle's province, withdrawn ones last: every
    one for whoever assigns evaluators there, otherwise only the user's own; ``evaluator``
    narrows the list to one evaluator's (their queue)."""
    found = _conflicts(user, cycle)
    if evaluator is not None:
        found = found.filter(evaluator=evaluator)
    return list(found.order_by(F("withdrawn_at").asc(nulls_first=True), "-declared_at"))


def conflict_of_cycle(user: Any, cycle: Cycle, pk: int) -> ConflictDeclaration:
    """One declaration the user may see in this cycle's province; 404 otherwise."""
    return get_object_or_404(_conflicts(user, cycle), pk=pk)
