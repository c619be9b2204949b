"""The embargo, and who approves and publishes (merged into accounts.permissions.RULES).

``sees_scores(user, participation)`` is the one test every page, export and API answer that
shows an evaluation score (an evaluator's, an assessing body's, an expert group's, a total)
must pass. Before the cycle's results are released only the organization's side of the
province (staff, deputy, council members, the administrator), the evaluators assigned to that
agency, and the agency itself (its users and performance office, once an evaluator's initial
approval has made its provisional scores exist) see them; HQ users, the national
organization, assessing bodies (beyond their own answers), other agencies and the public see
none. After the release everyone does. Self-scores are the agency's own figures and follow the
self-assessment's rules, not this one.
"""

from typing import Any

from karnameh.accounts.models import Role
from karnameh.accounts.permissions import PROVINCE_WIDE, Rule, agency_role, has_role, province_role

from .locks import is_released


def organization_side(user: Any, cycle: Any) -> bool:
    return has_role(user, Role.ADMIN) or province_role(user, cycle.province_id, *PROVINCE_WIDE)


def assigned_evaluator(user: Any, participation: Any) -> bool:
    from karnameh.evaluations.models import Assignment

    return (
        has_role(user, Role.EVALUATOR)
        and Assignment.objects.filter(
            participation=participation, evaluator_id=user.pk, removed_at__isnull=True
        ).exists()
    )


def own_agency(user: Any, participation: Any) -> bool:
    return agency_role(user, participation.agency, Role.AGENCY, Role.PERFORMANCE_OFFICE)


def expert_of(user: Any, participation: Any) -> bool:
    """A member of an expert group deciding (or having decided) one of its objections."""
    from karnameh.objections.selectors import expert_of as member

    return member(user, participation)


def sees_scores(user: Any, participation: Any) -> bool:
    cycle = participation.cycle
    if is_released(cycle):
        return True
    return (
        organization_side(user, cycle)
        or own_agency(user, participation)
        or assigned_evaluator(user, participation)
        or expert_of(user, participation)
    )


def _deputy(user: Any, cycle: Any) -> bool:
    return province_role(user, cycle.province_id, Role.DEPUTY)


def _publishes(user: Any, cycle: Any) -> bool:
    return province_role(user, cycle.province_id, Role.STAFF, Role.DEPUTY)


RULES: dict[str, Rule] = {
    # obj: a participation. Evaluation scores of that agency (see above).
    "scores.view": sees_scores,
    # obj: a cycle. The approvals page with every agency's totals: the organization's side.
    "results.view": organization_side,
    "results.approve": _deputy,
    "results.council": lambda u, cycle: province_role(u, cycle.province_id, Role.COUNCIL),
    "results.reopen": _deputy,
    "results.publish": _publishes,
    # The festival's size, the bonus table and the festival's nominations: staff and deputy.
    "results.settings": _publishes,
    # The public ranking: anyone, signed in or not, once the results are released.
    "results.public": lambda _u, cycle: is_released(cycle),
}
