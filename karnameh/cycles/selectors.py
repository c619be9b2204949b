"""Reading cycles and participations, always through what the reader may see."""

from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from karnameh.accounts.models import Role
from karnameh.accounts.permissions import PROVINCE_WIDE, grants, has_role, require, visible_agencies

from .models import Cycle, CycleStatus, Participation


def visible_cycles(user: Any) -> QuerySet[Cycle]:
    """Cycles of the user's province, and published ones an agency they see takes part in."""
    queryset = Cycle.objects.select_related("province", "general_catalogue")
    found = grants(user)
    if not found:
        return queryset.none()
    if has_role(user, Role.ADMIN, Role.NATIONAL):
        return queryset
    provinces = {g.province_id for g in found if g.role in (*PROVINCE_WIDE, Role.EVALUATOR)}
    taking_part = Participation.objects.filter(agency__in=visible_agencies(user)).values("cycle")
    condition = Q(province_id__in=provinces) | (
        ~Q(status=CycleStatus.DRAFT) & Q(pk__in=taking_part)
    )
    return queryset.filter(condition)


def visible_cycle(user: Any, pk: int) -> Cycle:
    """The cycle if the user may see it; otherwise "not found", never 403."""
    cycle = get_object_or_404(visible_cycles(user), pk=pk)
    require(user, "cycle.view", cycle)
    return cycle


def visible_participations(user: Any) -> QuerySet[Participation]:
    """Participations the user may see (the agency side only once the cycle is published)."""
    queryset = Participation.objects.select_related(
        "cycle", "cycle__province", "agency", "agency__agency_type", "agency__province"
    )
    found = grants(user)
    if not found:
        return queryset.none()
    if has_role(user, Role.ADMIN, Role.NATIONAL):
        return queryset
    provinces = {g.province_id for g in found if g.role in PROVINCE_WIDE}
    condition = Q(cycle__province_id__in=provinces) | (
        ~Q(cycle__status=CycleStatus.DRAFT) & Q(agency__in=visible_agencies(user))
    )
    return queryset.filter(condition)


def visible_participation(user: Any, cycle_pk: int, agency_code: str) -> Participation:
    participation = get_object_or_404(
        visible_participations(user), cycle_id=cycle_pk, agency__code=agency_code
    )
    require(user, "participation.view", participation)
    return participation
