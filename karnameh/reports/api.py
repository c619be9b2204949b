"""Report cards and improvement plans over the API (the same selectors and services as pages)."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from karnameh.accounts.throttle import client_ip

from .cards import Card, GaugeRow, card, card_participation
from .plans import plan_save
from .province_views import router as province_router

router = Router(tags=["reports"])


class GapOut(Schema):
    part: str
    code: str
    title: str
    percent: float | None
    peer_average: float | None
    gap: float | None


class OutcomeOut(Schema):
    accepted: bool
    reasons: str
    old_score: Decimal
    new_score: Decimal | None


class GaugeOut(Schema):
    part: str
    code: str
    title: str
    score: float | None
    max: float | None
    self: float | None
    deficiencies: list[str]
    objections: list[OutcomeOut]


class AxisOut(Schema):
    part: str
    code: str
    title: str
    score: float | None
    max: float | None
    self: float | None
    previous_score: float | None
    previous_max: float | None
    gauges: list[GaugeOut]


class ActionIO(Schema):
    gauge: str
    action: str
    owner: str = ""
    due: str


class PlanOut(Schema):
    summary: str
    actions: list[ActionIO]
    version: int
    updated_at: dt.datetime | None


class CardOut(Schema):
    cycle: int
    agency: str
    name: str
    final: Decimal
    general: Decimal
    general_max: Decimal
    specific: Decimal | None
    specific_max: Decimal | None
    self_total: Decimal
    rank: int
    peer_rank: int
    peer_size: int
    previous_final: Decimal | None
    axes: list[AxisOut]
    strengths: list[GapOut]
    weaknesses: list[GapOut]
    plan: PlanOut | None


class PlanIn(Schema):
    model_config = {"extra": "forbid"}

    summary: str = ""
    actions: list[dict[str, Any]] = []
    version: int


def _gap(row: GaugeRow) -> dict[str, Any]:
    return {
        "part": row.part,
        "code": row.code,
        "title": row.title,
        "percent": row.percent,
        "peer_average": row.peer_average,
        "gap": row.gap,
    }


def _plan(found: Card) -> dict[str, Any] | None:
    plan = found.plan
    if plan is None:
        return None
    return {
        "summary": plan.summary,
        "actions": plan.actions,
        "version": plan.version,
        "updated_at": plan.updated_at,
    }


def _card(found: Card) -> dict[str, Any]:
    r, s = found.result, found.standing
    return {
        "cycle": found.cycle.pk,
        "agency": found.agency.code,
        "name": found.agency.name,
        "final": r.final,
        "general": r.general,
        "general_max": r.general_max,
        "specific": r.specific,
        "specific_max": r.specific_max,
        "self_total": r.self_total,
        "rank": s.rank,
        "peer_rank": s.peer_rank,
        "peer_size": s.peer_size,
        "previous_final": found.previous.final if found.previous else None,
        "axes": [
            {
                "part": a.part,
                "code": a.code,
                "title": a.title,
                "score": a.score,
                "max": a.max,
                "self": a.self,
                "previous_score": a.previous_score,
                "previous_max": a.previous_max,
                "gauges": [
                    {
                        "part": g.part,
                        "code": g.code,
                        "title": g.title,
                        "score": g.score,
                        "max": g.max,
                        "self": g.self,
                        "deficiencies": g.deficiencies,
                        "objections": [vars(o) for o in g.outcomes],
                    }
                    for i in a.indicators
                    for g in i.gauges
                ],
            }
            for a in found.axes
        ],
        "strengths": [_gap(g) for g in found.strengths],
        "weaknesses": [_gap(g) for g in found.weaknesses],
        "plan": _plan(found),
    }


@router.get("/{cycle}/cards/{agency}", response=CardOut, summary="An agency's report card")
def get_card(request: HttpRequest, cycle: int, agency: str) -> dict[str, Any]:
    return _card(card(card_participation(request.user, cycle, agency), chart=None))


@router.put(
    "/{cycle}/cards/{agency}/plan",
    response=PlanOut,
    summary="Write the agency's improvement plan (after publication)",
)
def put_plan(request: HttpRequest, cycle: int, agency: str, payload: PlanIn) -> dict[str, Any]:
    participation = card_participation(request.user, cycle, agency)
    plan = plan_save(
        actor=request.user,
        participation=participation,
        summary=payload.summary,
        actions=payload.actions,
        version=payload.version,
        ip=client_ip(request),
    )
    return {
        "summary": plan.summary,
        "actions": plan.actions,
        "version": plan.version,
        "updated_at": plan.updated_at,
    }


# The province report (step 11): GET /api/v1/reports/{cycle}/province.
router.add_router("", province_router)
