"""Who may assign evaluators, see a queue, declare a conflict (merged into RULES).

The modernization group staff of a cycle's province (and the administrator) assign; an
evaluator sees their own queue and staff see any queue in their province; a conflict of
interest is declared by staff of the agency's province or by the evaluator themself.
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


def sees_queue(user: Any, target: QueueOf) -> bool:
    if target.evaluator.pk == user.pk:
        return province_role(user, target.cycle.province_id, Role.EVALUATOR)
    return manages_cycle(user, target.cycle)


def declares_conflict(user: Any, target: ConflictOf) -> bool:
    if has_role(user, Role.ADMIN):
        return True
    if target.evaluator.pk == user.pk and has_role(user, Role.EVALUATOR):
        return True
    return province_role(user, target.agency.province_id, Role.STAFF)


RULES: dict[str, Rule] = {
    # The board of a cycle, adding and removing assignments, suggestions: obj is the cycle.
    "evaluation.assign": manages_cycle,
    "evaluation.queue": sees_queue,
    "evaluation.conflict": declares_conflict,
}
