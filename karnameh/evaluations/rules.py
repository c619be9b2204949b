"""Who may assign evaluators, see a queue, declare a conflict, score (merged into RULES).

The modernization group staff of a cycle's province (and the administrator) assign; an
evaluator sees their own queue and staff see any queue in their province; a conflict of
interest is declared by staff of the agency's province or by the evaluator themself, and
withdrawn only by staff (an evaluator may not lift their own conflict).

Scoring (issue 5, item 2): only the evaluator of an active assignment scores, previews and
gives the initial approval of it; staff of the province read every evaluator's reviews and
return an approved part; a consensus note is written by an evaluator whose assignment covers
the gauge, or by staff. The embargo (``scores.view``) is checked on top by every reader.
"""

from typing import Any, NamedTuple

from karnameh.accounts.models import Role
from karnameh.accounts.permissions import Rule, has_role, province_role
from karnameh.cycles.rules import manages_cycle


class QueueOf(NamedTuple):
    cycle: Any
    evaluator: Any


class ConflictOf(NamedTuple):
    evaluator: Any
    agency: Any


class GaugeOf(NamedTuple):
    """One gauge of an agency, with the axis it sits in (assignments are given by axis)."""

    participation: Any
    part: str
    axis: str


def sees_queue(user: Any, target: QueueOf) -> bool:
    if target.evaluator.pk == user.pk:
        return province_role(user, target.cycle.province_id, Role.EVALUATOR)
    return manages_cycle(user, target.cycle)


def declares_conflict(user: Any, target: ConflictOf) -> bool:
    if has_role(user, Role.ADMIN):
        return True
    # An evaluator declares their own conflicts in the province they evaluate in, not in
    # another province's cycles.
    if target.evaluator.pk == user.pk and province_role(
        user, target.agency.province_id, Role.EVALUATOR
    ):
        return True
    return province_role(user, target.agency.province_id, Role.STAFF)


def withdraws_conflict(user: Any, declaration: Any) -> bool:
    return has_role(user, Role.ADMIN) or province_role(
        user, declaration.agency.province_id, Role.STAFF
    )


def evaluates(user: Any, assignment: Any) -> bool:
    """The assignment's own evaluator, while it is active and they are still an evaluator."""
    return (
        assignment.removed_at is None
        and assignment.evaluator_id == user.pk
        and province_role(user, assignment.participation.cycle.province_id, Role.EVALUATOR)
    )


def reads_reviews(user: Any, assignment: Any) -> bool:
    return evaluates(user, assignment) or manages_cycle(user, assignment.participation.cycle)


def writes_consensus(user: Any, target: GaugeOf) -> bool:
    from .models import Assignment
    from .scope import covers

    participation = target.participation
    if manages_cycle(user, participation.cycle):
        return True
    if not province_role(user, participation.cycle.province_id, Role.EVALUATOR):
        return False
    held = Assignment.objects.filter(
        participation_id=participation.pk,
        evaluator_id=user.pk,
        scope=target.part,
        removed_at__isnull=True,
    ).values_list("axes", flat=True)
    return any(covers(axes, target.axis) for axes in held)


RULES: dict[str, Rule] = {
    # The board of a cycle, adding and removing assignments, suggestions: obj is the cycle.
    "evaluation.assign": manages_cycle,
    "evaluation.queue": sees_queue,
    "evaluation.conflict": declares_conflict,
    # obj: a ConflictDeclaration.
    "evaluation.conflict_withdraw": withdraws_conflict,
    # obj: an assignment. Score its gauges, preview a score, give the initial approval.
    "evaluation.review": evaluates,
    # obj: an assignment. Its review pages and API answers (read only for staff).
    "evaluation.reviews": reads_reviews,
    # obj: GaugeOf. The note two evaluators write when their scores are far apart.
    "evaluation.consensus": writes_consensus,
    # obj: an assignment. Staff reopen an evaluator's approved part, with a reason.
    "evaluation.return": lambda u, a: manages_cycle(u, a.participation.cycle),
}
