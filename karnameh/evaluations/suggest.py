"""Conflicts of interest and a balanced suggestion of who evaluates whom.

The rules themselves are pure functions over plain facts (``conflict_between``, ``propose``),
so they are tested without a database; ``conflict_reason`` and ``suggest`` read the facts.

An evaluator is in conflict with an agency when they hold an agency-side role (agency user,
performance office, HQ user) for an agency *related* to it, or declared a conflict with it.
Related, exactly: the agency itself; its parent; its headquarters (``headquarters_id``); or one
of its units (an agency whose ``parent_id`` or ``headquarters_id`` is this agency). So a
provincial unit's staff never evaluate their own unit, the ministry above it, or its county
offices, and an HQ's staff never evaluate any unit of their HQ's tree.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _

from karnameh.accounts.models import Role, RoleAssignment
from karnameh.agencies.models import Agency
from karnameh.cycles.models import Cycle, Participation

from .models import Assignment, ConflictDeclaration

AGENCY_SIDE = (Role.AGENCY, Role.PERFORMANCE_OFFICE, Role.HQ)


@dataclass(frozen=True)
class AgencyFacts:
    pk: int
    name: str
    parent_id: int | None
    headquarters_id: int | None


@dataclass(frozen=True)
class EvaluatorFacts:
    pk: int
    username: str
    # Agencies the evaluator holds an agency-side role for.
    held: tuple[AgencyFacts, ...] = ()
    declared: frozenset[int] = field(default_factory=frozenset)


def facts(agency: Agency) -> AgencyFacts:
    return AgencyFacts(agency.pk, agency.name, agency.parent_id, agency.headquarters_id)


def conflict_between(evaluator: EvaluatorFacts, agency: AgencyFacts) -> str | None:
    """Why this evaluator may not evaluate this agency (a Persian sentence), or None."""
    for held in evaluator.held:
        if held.pk == agency.pk:
            return _("They work for this agency (%(agency)s).") % {"agency": held.name}
        if held.pk == agency.parent_id:
            return _("They work for its parent agency (%(agency)s).") % {"agency": held.name}
        if held.pk == agency.headquarters_id:
            return _("They work for its headquarters (%(agency)s).") % {"agency": held.name}
        if agency.pk in (held.parent_id, held.headquarters_id):
            return _("They work for one of its units (%(agency)s).") % {"agency": held.name}
    if agency.pk in evaluator.declared:
        return _("A conflict of interest with %(agency)s was declared.") % {"agency": agency.name}
    return None


def evaluator_facts(users: Iterable[Any]) -> dict[int, EvaluatorFacts]:
    """The facts of several evaluators in two queries."""
    by_user = {user.pk: user for user in users}
    held: dict[int, list[AgencyFacts]] = {pk: [] for pk in by_user}
    roles = RoleAssignment.objects.filter(
        user_id__in=by_user, role__in=AGENCY_SIDE, is_active=True, agency__isnull=False
    ).select_related("agency")
    for role in roles:
        assert role.agency is not None
        held[role.user_id].append(facts(role.agency))
    declared: dict[int, set[int]] = {pk: set() for pk in by_user}
    for user_id, agency_id in ConflictDeclaration.objects.filter(
        evaluator_id__in=by_user, withdrawn_at__isnull=True
    ).values_list("evaluator_id", "agency_id"):
        declared[user_id].add(agency_id)
    return {
        pk: EvaluatorFacts(pk, user.get_username(), tuple(held[pk]), frozenset(declared[pk]))
        for pk, user in by_user.items()
    }


def conflict_reason(evaluator: Any, agency: Agency) -> str | None:
    """Why ``evaluator`` may not evaluate ``agency``, or None: the one rule everyone uses."""
    return conflict_between(evaluator_facts([evaluator])[evaluator.pk], facts(agency))


def eligible_roles(cycle: Cycle, scope: str) -> Any:
    """Active evaluator roles of the cycle's province with this scope (a queryset)."""
    return province_evaluators(cycle).filter(evaluator_scope=scope)


def province_evaluators(cycle: Cycle) -> Any:
    """Active evaluator roles of the cycle's province; none for a national cycle."""
    if cycle.province_id is None:
        return RoleAssignment.objects.none()
    return RoleAssignment.objects.filter(
        role=Role.EVALUATOR, province_id=cycle.province_id, is_active=True, user__is_active=True
    ).select_related("user")


@dataclass(frozen=True)
class Unplaced:
    participation: Any
    why: str


@dataclass(frozen=True)
class Suggestion:
    pairs: list[tuple[Any, Any]]
    unplaced: list[Unplaced]


def propose(
    agencies: Sequence[tuple[int, AgencyFacts]],
    evaluators: Sequence[EvaluatorFacts],
    load: dict[int, int],
) -> tuple[list[tuple[int, int]], list[tuple[int, str]]]:
    """Give each (key, agency) the conflict-free evaluator with the least load.

    Ties go to the username, so the same data always gives the same proposal. Returns the
    (key, evaluator pk) pairs and the (key, why) of agencies nobody may take.
    """
    load = {e.pk: load.get(e.pk, 0) for e in evaluators}
    pairs: list[tuple[int, int]] = []
    unplaced: list[tuple[int, str]] = []
    for key, agency in agencies:
        free = [e for e in evaluators if conflict_between(e, agency) is None]
        if not evaluators:
            unplaced.append((key, _("There is no evaluator of this scope in the province.")))
            continue
        if not free:
            unplaced.append((key, _("Every evaluator of this scope has a conflict of interest.")))
            continue
        chosen = min(free, key=lambda e: (load[e.pk], e.username))
        load[chosen.pk] += 1
        pairs.append((key, chosen.pk))
    return pairs, unplaced


def workload(cycle: Cycle) -> dict[int, int]:
    """Active assignments per evaluator in this cycle, both scopes together."""
    rows = (
        Assignment.objects.filter(participation__cycle=cycle, removed_at__isnull=True)
        .values("evaluator_id")
        .annotate(n=Count("pk"))
    )
    return {row["evaluator_id"]: row["n"] for row in rows}


def suggest(cycle: Cycle, scope: str) -> Suggestion:
    """Every participation without an active assignment of ``scope``, with an evaluator."""
    users = [role.user for role in eligible_roles(cycle, scope)]
    evaluators = sorted(evaluator_facts(users).values(), key=lambda e: e.username)
    by_pk = {user.pk: user for user in users}
    waiting = list(
        Participation.objects.filter(cycle=cycle)
        .exclude(
            pk__in=Assignment.objects.filter(scope=scope, removed_at__isnull=True).values(
                "participation_id"
            )
        )
        .select_related("agency")
        .order_by("agency__code")
    )
    by_key = {p.pk: p for p in waiting}
    pairs, unplaced = propose(
        [(p.pk, facts(p.agency)) for p in waiting], evaluators, workload(cycle)
    )
    return Suggestion(
        pairs=[(by_key[key], by_pk[user]) for key, user in pairs],
        unplaced=[Unplaced(by_key[key], why) for key, why in unplaced],
    )
