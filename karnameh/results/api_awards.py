"""The ranking, the festival's size, the bonus table and nominations over the API (the same
services and selectors as the pages)."""

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from karnameh.accounts.throttle import client_ip
from karnameh.cycles.models import Participation

from . import awards
from .models import BonusBand, Nomination
from .ranking import Standing, festival_size, standings
from .selectors import results_cycle

router = Router(tags=["results"])


class StandingOut(Schema):
    rank: int
    peer_rank: int
    peer_size: int
    tied: bool
    agency: str
    name: str
    agency_type: str
    self_total: Decimal
    general: Decimal
    specific: Decimal | None
    final: Decimal
    previous: Decimal | None
    change: Decimal | None
    bonus: Decimal | None
    festival: bool


class BandIn(Schema):
    model_config = {"extra": "forbid"}

    lower: Decimal | str
    coefficient: Decimal | str


class BandOut(Schema):
    lower: Decimal
    coefficient: Decimal


class AwardsOut(Schema):
    festival_size: int
    bands: list[BandOut]
    festival: list[StandingOut]
    nominations: list["NominationOut"]


class PolicyIn(Schema):
    model_config = {"extra": "forbid"}

    festival_size: int


class NominationIn(Schema):
    model_config = {"extra": "forbid"}

    agency: str
    kind: str
    full_name: str
    position: str = ""
    reason: str = ""


class NominationOut(Schema):
    id: int
    agency: str
    kind: str
    full_name: str
    position: str
    reason: str

    @staticmethod
    def resolve_agency(obj: Nomination) -> str:
        return obj.participation.agency.code


AwardsOut.model_rebuild()


def standing_out(s: Standing) -> dict[str, Any]:
    r = s.result
    return {
        "rank": s.rank,
        "peer_rank": s.peer_rank,
        "peer_size": s.peer_size,
        "tied": s.tied,
        "agency": s.agency.code,
        "name": s.agency.name,
        "agency_type": s.agency.agency_type.code,
        "self_total": r.self_total,
        "general": r.general,
        "specific": r.specific,
        "final": r.final,
        "previous": s.previous.final if s.previous else None,
        "change": s.change,
        "bonus": s.bonus,
        "festival": s.festival,
    }


def _awards(cycle: Any) -> dict[str, Any]:
    return {
        "festival_size": festival_size(cycle),
        "bands": list(BonusBand.objects.filter(cycle=cycle).order_by("lower")),
        "festival": [standing_out(s) for s in standings(cycle, light=True) if s.festival],
        "nominations": list(
            Nomination.objects.filter(participation__cycle=cycle).select_related(
                "participation__agency"
            )
        ),
    }


@router.get("/{cycle}/ranking", response=list[StandingOut], summary="The ranking (fixed results)")
def get_ranking(request: HttpRequest, cycle: int) -> list[dict[str, Any]]:
    return [standing_out(s) for s in standings(results_cycle(request.user, cycle), light=True)]


@router.get("/{cycle}/awards", response=AwardsOut, summary="Festival and bonus settings")
def get_awards(request: HttpRequest, cycle: int) -> dict[str, Any]:
    return _awards(results_cycle(request.user, cycle))


@router.put("/{cycle}/awards/festival", response=AwardsOut, summary="The festival's size")
def put_policy(request: HttpRequest, cycle: int, payload: PolicyIn) -> dict[str, Any]:
    found = results_cycle(request.user, cycle)
    awards.policy_set(
        actor=request.user, cycle=found, festival_size=payload.festival_size, ip=client_ip(request)
    )
    return _awards(found)


@router.put("/{cycle}/awards/bonus", response=AwardsOut, summary="Replace the bonus table")
def put_bands(request: HttpRequest, cycle: int, payload: list[BandIn]) -> dict[str, Any]:
    found = results_cycle(request.user, cycle)
    rows = [(b.lower, b.coefficient) for b in payload]
    awards.bands_set(actor=request.user, cycle=found, rows=rows, ip=client_ip(request))
    return _awards(found)


@router.post("/{cycle}/awards/nominations", response=AwardsOut, summary="Nominate for the festival")
def post_nomination(request: HttpRequest, cycle: int, payload: NominationIn) -> dict[str, Any]:
    found = results_cycle(request.user, cycle)
    participation = get_object_or_404(
        Participation.objects.select_related("cycle", "agency"),
        cycle=found,
        agency__code=payload.agency,
    )
    awards.nomination_add(
        actor=request.user,
        participation=participation,
        kind=payload.kind,
        full_name=payload.full_name,
        position=payload.position,
        reason=payload.reason,
        ip=client_ip(request),
    )
    return _awards(found)


@router.delete(
    "/{cycle}/awards/nominations/{pk}", response=AwardsOut, summary="Remove a nomination"
)
def delete_nomination(request: HttpRequest, cycle: int, pk: int) -> dict[str, Any]:
    found = results_cycle(request.user, cycle)
    nomination = get_object_or_404(
        Nomination.objects.select_related("participation__cycle", "participation__agency"),
        pk=pk,
        participation__cycle=found,
    )
    awards.nomination_remove(actor=request.user, nomination=nomination, ip=client_ip(request))
    return _awards(found)
