"""Who may do what with cycles (merged into accounts.permissions.RULES).

A provincial cycle is run by its province's staff; a national one by the administrator.
Drafts are seen only by the organization's side; once published, every agency taking part
sees the cycle (its calendar, circular and workshops).
"""

from typing import Any

from karnameh.accounts.models import Role
from karnameh.accounts.permissions import (
    PROVINCE_WIDE,
    Rule,
    grants,
    has_role,
    province_role,
    sees_agency,
    visible_agencies,
)


def manages_cycle(user: Any, cycle: Any) -> bool:
    """Staff of the cycle's province (or, for a new cycle, any staff); the administrator."""
    if has_role(user, Role.ADMIN):
        return True
    if cycle is None:
        return has_role(user, Role.STAFF)
    return province_role(user, cycle.province_id, Role.STAFF)


def sees_cycle(user: Any, cycle: Any) -> bool:
    if not grants(user):
        return False
    if cycle is None or has_role(user, Role.ADMIN, Role.NATIONAL):
        return True
    if province_role(user, cycle.province_id, *PROVINCE_WIDE, Role.EVALUATOR):
        return True
    if not cycle.is_published:
        return False
    return cycle.participations.filter(agency__in=visible_agencies(user)).exists()


def assigned_to(user: Any, participation: Any) -> bool:
    """An evaluator of the cycle's province with an active assignment to this agency."""
    from karnameh.evaluations.models import Assignment

    return (
        province_role(user, participation.cycle.province_id, Role.EVALUATOR)
        and Assignment.objects.filter(
            participation_id=participation.pk, evaluator_id=user.pk, removed_at__isnull=True
        ).exists()
    )


def sees_participation(user: Any, participation: Any) -> bool:
    """The organization's side of its province, the agency itself, its parent and its HQ, and
    the evaluators assigned to it (who read its answers and evidence to score them)."""
    cycle = participation.cycle
    if has_role(user, Role.ADMIN, Role.NATIONAL):
        return True
    if province_role(user, cycle.province_id, *PROVINCE_WIDE):
        return True
    if cycle.is_published and sees_agency(user, participation.agency):
        return True
    return assigned_to(user, participation)


RULES: dict[str, Rule] = {
    "cycle.list": lambda u, _o: bool(grants(u)),
    "cycle.view": sees_cycle,
    "cycle.create": manages_cycle,
    # Calendar, weights, composition, participants, circular, workshops and attendance.
    "cycle.change": manages_cycle,
    "cycle.publish": manages_cycle,
    "participation.view": sees_participation,
}
