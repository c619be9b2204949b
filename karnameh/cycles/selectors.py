"""Reading cycles and participations, always through what the reader may see."""

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from karnameh.accounts.models import Role
from karnameh.accounts.permissions import (
    PROVINCE_WIDE,
    grants,
    has_role,
    may,
    require,
    visible_agencies,
)
from karnameh.agencies.models import Province

from .deadlines import TEHRAN
from .models import Cycle, CycleStatus, Participation, Step
from .steps import STEP_BY_NUMBER


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


# What a participation's pages show of it, read with it.
_SHOWN = ("cycle", "cycle__province", "agency", "agency__agency_type", "agency__province")
# The catalogues it is scored on (assessments.scoring.sheets), read on most of its pages.
_SCORED = ("cycle__general_catalogue", "specific_catalogue")


def visible_participations(user: Any) -> QuerySet[Participation]:
    """Participations the user may see (the agency side only once the cycle is published)."""
    queryset = Participation.objects.select_related(*_SHOWN)
    found = grants(user)
    if not found:
        return queryset.none()
    if has_role(user, Role.ADMIN, Role.NATIONAL):
        return queryset
    provinces = {g.province_id for g in found if g.role in PROVINCE_WIDE}
    condition = Q(cycle__province_id__in=provinces) | (
        ~Q(cycle__status=CycleStatus.DRAFT) & Q(agency__in=visible_agencies(user))
    )
    judged = {g.province_id for g in found if g.role == Role.EVALUATOR}
    if judged:
        # An evaluator sees the agencies assigned to them (cycles.rules.assigned_to).
        from karnameh.evaluations.models import Assignment

        assigned = Assignment.objects.filter(evaluator_id=user.pk, removed_at__isnull=True)
        condition |= Q(cycle__province_id__in=judged, pk__in=assigned.values("participation_id"))
    return queryset.filter(condition)


@cache
def _one_participation() -> QuerySet[Participation]:
    """Built once per process, as every page and save of a participation reads it; always
    narrowed by ``.get()``, a copy, so this one holds no rows."""
    return Participation.objects.select_related(*_SHOWN, *_SCORED)


def visible_participation(user: Any, cycle_pk: int, agency_code: str) -> Participation:
    """One participation if the user may see it; otherwise "not found", never 403.

    Read by its key with what the pages show (the cycle, the agency, the catalogues) in one
    query, then judged by the rule ``participation.view``, which is ``visible_participations``'
    condition for one row (tests/access checks that they agree for every user and row): the
    list's filter, with its subqueries, would cost more to build than the whole lookup.
    """
    try:
        # get(), not first(): unique by (cycle, agency), and first() would sort by the model's
        # ordering, a join more to plan.
        participation = _one_participation().get(cycle_id=cycle_pk, agency__code=agency_code)
    except Participation.DoesNotExist:
        raise Http404 from None
    if not may(user, "participation.view", participation):
        raise Http404
    return participation


@dataclass(frozen=True)
class CalendarRow:
    """One step as the calendar shows it."""

    step: Step
    title: object
    role: str
    current: bool
    overdue: bool


def calendar(cycle: Cycle, *, today: dt.date | None = None) -> list[CalendarRow]:
    """The twelve steps with today's highlighted and the late ones marked (days in Tehran)."""
    day = today or timezone.localtime(timezone.now(), TEHRAN).date()
    labels = dict(Role.choices)
    rows = []
    for step in cycle.steps.all():
        kind = STEP_BY_NUMBER[step.number]
        rows.append(
            CalendarRow(
                step=step,
                title=kind.title,
                role=str(labels.get(kind.role, kind.role)),
                current=step.planned_start <= day <= step.planned_end,
                overdue=step.actual_end is None and step.planned_end < day,
            )
        )
    return rows


def managed_provinces(user: Any) -> QuerySet[Province]:
    """Provinces in which the user may open a cycle (the administrator: every one)."""
    if has_role(user, Role.ADMIN):
        return Province.objects.order_by("name")
    own = {g.province_id for g in grants(user) if g.role == Role.STAFF}
    return Province.objects.filter(pk__in=own).order_by("name")
