"""What the rest of the system reads of objections, and the lists the pages and the API show.

Lists are filtered here by who asks (``visible_*``); whether a score in them is shown is the
embargo's question (``scores.view``), asked by the page or the API answer that shows it.
"""

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from karnameh.accounts.permissions import may
from karnameh.common.errors import Forbidden
from karnameh.cycles.models import Cycle, Participation

from .models import OPEN_STATES, ExpertGroup, Meeting, Objection, ObjectionState


def accepted_gauges(participation: Any) -> dict[tuple[str, str], dict[str, Any]]:
    """(part, gauge code) → the answer of the latest accepted objection decision on that gauge."""
    return accepted_gauges_of([participation.pk]).get(participation.pk, {})


def accepted_gauges_of(ids: Iterable[int]) -> dict[int, dict[tuple[str, str], dict[str, Any]]]:
    """``accepted_gauges`` of many agencies (participation ids) in one query."""
    found: dict[int, dict[tuple[str, str], dict[str, Any]]] = {}
    rows = (
        Objection.objects.filter(participation__in=list(ids), state=ObjectionState.ACCEPTED)
        .order_by("decided_at", "pk")
        .values_list("participation_id", "part", "gauge_code", "answer")
    )
    # Later decisions overwrite earlier ones on the same gauge.
    for pk, part, code, answer in rows:
        found.setdefault(pk, {})[(part, code)] = dict(answer)
    return found


def open_objections(participation: Any) -> int:
    """How many of this agency's objections are not yet decided."""
    return open_objections_of([participation.pk]).get(participation.pk, 0)


def open_objections_of(ids: Iterable[int]) -> dict[int, int]:
    """``open_objections`` of many agencies (participation ids) in one query."""
    rows = (
        Objection.objects.filter(participation__in=list(ids), state__in=OPEN_STATES)
        .values("participation_id")
        .annotate(n=Count("pk"))
        .values_list("participation_id", "n")
    )
    return dict(rows)


def expert_of(user: Any, participation: Any) -> bool:
    """A member of an expert group that one of this agency's objections is routed to (or was
    decided by): they need its scores to decide, as its assigned evaluators do."""
    if not getattr(user, "is_authenticated", False):
        return False
    return Objection.objects.filter(
        participation=participation, group__members=user, group__isnull=False
    ).exists()


def _listed(queryset: QuerySet[Objection]) -> QuerySet[Objection]:
    return queryset.select_related(
        "participation__agency",
        "participation__cycle",
        "group",
        "filed_by",
        "recorded_by",
        "decided_by",
        "original_evaluator",
    ).prefetch_related("evidence")


def agency_objections(participation: Participation) -> list[Objection]:
    return list(_listed(Objection.objects.filter(participation=participation)))


def cycle_objections(cycle: Cycle, state: str | None = None) -> list[Objection]:
    queryset = Objection.objects.filter(participation__cycle=cycle)
    if state:
        queryset = queryset.filter(state=state)
    return list(_listed(queryset).order_by("participation__agency__code", "-filed_at", "-pk"))


def queue(cycle: Cycle, user: Any) -> list[Objection]:
    """Objections routed to a group the user sits in: the open ones first, then the decided."""
    rows = _listed(
        Objection.objects.filter(participation__cycle=cycle, group__members=user).exclude(
            state=ObjectionState.WITHDRAWN
        )
    ).distinct()
    return sorted(rows, key=lambda o: (not o.is_open, o.routed_at or o.filed_at))


def groups(cycle: Cycle) -> list[ExpertGroup]:
    return list(
        ExpertGroup.objects.filter(cycle=cycle).prefetch_related("members").order_by("name")
    )


def visible_groups(user: Any, cycle: Cycle) -> list[ExpertGroup]:
    """Every group for the staff; to a member, their own groups."""
    if may(user, "objection.group", cycle):
        return groups(cycle)
    return list(
        ExpertGroup.objects.filter(cycle=cycle, members=user)
        .prefetch_related("members")
        .order_by("name")
        .distinct()
    )


def group_or_404(user: Any, cycle: Cycle, pk: int) -> ExpertGroup:
    group = get_object_or_404(
        ExpertGroup.objects.select_related("cycle").prefetch_related(
            "members",
            Prefetch(
                "meetings",
                queryset=Meeting.objects.select_related("minutes", "recorded_by").prefetch_related(
                    "present"
                ),
            ),
        ),
        cycle=cycle,
        pk=pk,
    )
    if not may(user, "objection.group_view", group):
        # Another member's group is none of their business: "not found", like other lists.
        raise Http404
    return group


def objection_or_404(user: Any, cycle: Cycle, pk: int) -> Objection:
    """The objection if the user may read it; 404 if they may not even see the agency."""
    objection = get_object_or_404(
        _listed(Objection.objects.all()).select_related(
            "participation__agency__agency_type", "participation__specific_catalogue"
        ),
        participation__cycle=cycle,
        pk=pk,
    )
    if not may(user, "objection.view", objection):
        if may(user, "participation.view", objection.participation):
            raise Forbidden()
        raise Http404
    return objection


def state_counts(cycle: Cycle) -> dict[str, int]:
    counts = {state: 0 for state in ObjectionState.values}
    for state in Objection.objects.filter(participation__cycle=cycle).values_list(
        "state", flat=True
    ):
        counts[state] += 1
    return counts


def members_of_cycle(cycle: Cycle) -> QuerySet[Any]:
    """Users who may sit in the cycle's expert groups: its province's staff and evaluators."""
    from karnameh.accounts.models import Role, User

    if cycle.province_id is None:
        return User.objects.none()
    return (
        User.objects.filter(
            is_active=True,
            roles__is_active=True,
            roles__role__in=[Role.STAFF, Role.EVALUATOR],
            roles__province_id=cycle.province_id,
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
