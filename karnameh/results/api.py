"""Approvals, reopening, publication and the public ranking over the API (the same services)."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile

from karnameh.accounts.throttle import client_ip

from .locks import approvals_in_force, is_released
from .models import Approval, Result
from .ranking import fixed_results, order
from .readiness import readiness
from .selectors import public_cycle, ranking, results_cycle
from .services import council_approve, final_approve, publish, reopen

router = Router(tags=["results"])


class ApprovalOut(Schema):
    stage: str
    approved_by: str
    approved_at: dt.datetime
    note: str

    @staticmethod
    def resolve_approved_by(obj: Approval) -> str:
        return obj.approved_by.get_username()


class ResultOut(Schema):
    agency: str
    name: str
    self_total: Decimal
    general: Decimal
    general_max: Decimal
    specific: Decimal | None
    specific_max: Decimal | None
    final: Decimal

    @staticmethod
    def resolve_agency(obj: Result) -> str:
        return obj.participation.agency.code

    @staticmethod
    def resolve_name(obj: Result) -> str:
        return obj.participation.agency.name


class BlockedOut(Schema):
    agency: str
    unapproved: list[str]
    pending: list[str]
    open_objections: int


class StateOut(Schema):
    cycle: int
    approvals: list[ApprovalOut]
    released: bool
    window_open: bool
    blocked: list[BlockedOut]
    results: list[ResultOut]


class PublicOut(Schema):
    rank: int
    agency: str
    name: str
    final: Decimal


class NoteIn(Schema):
    model_config = {"extra": "forbid"}

    note: str = ""


class ReasonIn(Schema):
    model_config = {"extra": "forbid"}

    reason: str = ""


def _state(cycle: Any) -> dict[str, Any]:
    found = readiness(cycle)
    return {
        "cycle": cycle.pk,
        "approvals": list(approvals_in_force(cycle).values()),
        "released": is_released(cycle),
        "window_open": found.window_open,
        "blocked": [
            {
                "agency": row.participation.agency.code,
                "unapproved": [a.evaluator.get_username() for a in row.unapproved],
                "pending": row.pending,
                "open_objections": row.card.open_objections,
            }
            for row in found.blocked
        ],
        "results": ranking(cycle),
    }


@router.get("/{cycle}", response=StateOut, summary="Approvals, readiness and the approved totals")
def get_state(request: HttpRequest, cycle: int) -> dict[str, Any]:
    return _state(results_cycle(request.user, cycle))


@router.post("/{cycle}/approve", response=StateOut, summary="The deputy's final approval")
def post_approve(request: HttpRequest, cycle: int, payload: NoteIn) -> dict[str, Any]:
    found = results_cycle(request.user, cycle)
    final_approve(actor=request.user, cycle=found, note=payload.note, ip=client_ip(request))
    return _state(found)


@router.post("/{cycle}/council", response=StateOut, summary="The council's approval (minutes)")
def post_council(
    request: HttpRequest, cycle: int, minutes: File[UploadedFile], note: Form[str] = ""
) -> dict[str, Any]:
    found = results_cycle(request.user, cycle)
    council_approve(
        actor=request.user, cycle=found, minutes=minutes, note=note, ip=client_ip(request)
    )
    return _state(found)


@router.post("/{cycle}/reopen", response=StateOut, summary="The deputy reopens, with a reason")
def post_reopen(request: HttpRequest, cycle: int, payload: ReasonIn) -> dict[str, Any]:
    found = results_cycle(request.user, cycle)
    reopen(actor=request.user, cycle=found, reason=payload.reason, ip=client_ip(request))
    return _state(found)


@router.post("/{cycle}/publish", response=StateOut, summary="Publish the results")
def post_publish(request: HttpRequest, cycle: int) -> dict[str, Any]:
    found = results_cycle(request.user, cycle)
    publish(actor=request.user, cycle=found, ip=client_ip(request))
    return _state(found)


@router.get("/{cycle}/public", response=list[PublicOut], auth=None, summary="The published ranking")
def get_public(request: HttpRequest, cycle: int) -> list[dict[str, Any]]:
    found = public_cycle(request.user, cycle)
    return [
        {
            "rank": rank,
            "agency": r.participation.agency.code,
            "name": r.participation.agency.name,
            "final": r.final,
        }
        for rank, r in order(fixed_results(found))
    ]
