"""Who may do what in objections (merged into accounts.permissions.RULES).

The agency (its users and its performance office) files and withdraws its own objections and
reads their decisions; the modernization group staff of the cycle's province record in-person
objections, route objections to expert groups and keep the groups; a member of the group an
objection is routed to decides it (never the evaluator who scored that gauge: the services
refuse them by name); the organization's side of the province reads every objection.
Whether a score is shown is a separate question: ``scores.view`` (results.rules).
"""

from typing import Any

from karnameh.accounts.models import Role
from karnameh.accounts.permissions import Rule, agency_role, province_role
from karnameh.cycles.rules import manages_cycle
from karnameh.results.rules import organization_side


def agency_side(user: Any, participation: Any) -> bool:
    return agency_role(user, participation.agency, Role.AGENCY, Role.PERFORMANCE_OFFICE)


def member_of(user: Any, group: Any) -> bool:
    if group is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(group.members.filter(pk=user.pk).exists())


def files_objection(user: Any, participation: Any) -> bool:
    return participation.cycle.is_published and agency_side(user, participation)


def sees_agency_objections(user: Any, participation: Any) -> bool:
    return agency_side(user, participation) or organization_side(user, participation.cycle)


def sees_objection(user: Any, objection: Any) -> bool:
    return sees_agency_objections(user, objection.participation) or member_of(user, objection.group)


def decides(user: Any, objection: Any) -> bool:
    # A member whose staff or evaluator role has ended no longer decides.
    return member_of(user, objection.group) and may_sit(user, objection.participation.cycle)


def keeps_meeting(user: Any, group: Any) -> bool:
    return manages_cycle(user, group.cycle) or member_of(user, group)


def may_sit(user: Any, cycle: Any) -> bool:
    """Staff and evaluators of the cycle's province: who an expert group may have as members."""
    return province_role(user, cycle.province_id, Role.STAFF, Role.EVALUATOR)


RULES: dict[str, Rule] = {
    # obj: a participation.
    "objection.file": files_objection,
    "objection.record": lambda u, p: manages_cycle(u, p.cycle),
    "objection.list": sees_agency_objections,
    # obj: an objection.
    "objection.view": sees_objection,
    "objection.withdraw": lambda u, o: agency_side(u, o.participation),
    "objection.route": lambda u, o: manages_cycle(u, o.participation.cycle),
    "objection.decide": decides,
    # obj: a cycle. Every objection of the cycle (read), the groups (create, members).
    "objection.cycle": organization_side,
    "objection.group": manages_cycle,
    # The queue of objections routed to the user's groups.
    "objection.queue": may_sit,
    # obj: an expert group.
    "objection.group_view": keeps_meeting,
    "objection.meeting": keeps_meeting,
}
