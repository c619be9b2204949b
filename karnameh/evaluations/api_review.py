"""Scoring by evaluators over the API: the same lookups, services and refusals as the pages.

- ``GET {cycle}/{agency}/reviews``: the caller's parts of that agency (staff: every evaluator's),
  gauge by gauge: self-score, the evaluator's answer, score, version, notes, gap, consensus.
- ``PUT {cycle}/{agency}/reviews/{part}/{gauge}`` with ``{"data", "deficiencies", "version"}``
  and an optional ``Idempotency-Key`` header: 200 with the save, 409 with both answers.
- ``POST .../reviews/{part}/{gauge}/preview`` with ``{"data"}``: the engine's score, unsaved.
- ``PUT {cycle}/{agency}/consensus/{part}/{gauge}`` with ``{"note"}``.
- ``POST {cycle}/assignments/{id}/approve``; ``POST {cycle}/assignments/{id}/return`` with
  ``{"reason"}``.
- ``GET {cycle}/{agency}/scorecard``: the provisional scores (empty before any approval).
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Header, Router, Schema, Status

from karnameh.accounts.permissions import may
from karnameh.accounts.throttle import client_ip
from karnameh.assessments.api import ConflictOut
from karnameh.assessments.services import Conflict
from karnameh.common.errors import Forbidden
from karnameh.cycles.models import Participation
from karnameh.scoring.engine import STATUS_LABELS

from .models import Assignment
from .provisional import provisional, scores_participation
from .reviewing import ReviewRow, assignments_of, review_sheet, reviewed_assignment
from .reviews import (
    approval_problems,
    consensus_write,
    initial_approve,
    initial_return,
    review_lock,
    review_preview,
    review_save,
)

router = Router(tags=["evaluations"])


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


class ErrorOut(Schema):
    detail: str
    code: str


class ReviewRowOut(Schema):
    part: str
    code: str
    title: str
    axis: str
    max: float
    self_score: float
    answered_by_agency: bool
    data: dict[str, Any]
    score: float | None
    status: str
    version: int
    deficiencies: str
    deficiencies_required: bool
    others: list[dict[str, Any]]
    gap: float | None
    gap_limit: float
    needs_consensus: bool
    consensus: str | None


class PartOut(Schema):
    assignment: int
    evaluator: str
    scope: str
    origin: str
    axes: list[str]
    approved_at: dt.datetime | None
    locked: str | None
    reviewed: int
    total: int
    problems: list[str]
    gauges: list[ReviewRowOut]


class ReviewIn(Schema):
    """The evaluator's answer in the agency's answer shape (docs/catalogue-format.md), the
    notes of deficiencies, and the review's version the client started from (0 if new)."""

    model_config = {"extra": "forbid"}

    data: dict[str, Any] = {}
    deficiencies: str = ""
    version: int


class PreviewIn(Schema):
    model_config = {"extra": "forbid"}

    data: dict[str, Any] = {}


class PreviewOut(Schema):
    score: float
    max: float
    status: str
    status_label: str
    explanation: str


class SaveOut(Schema):
    review: int
    version: int
    score: str | None
    status: str
    changed: bool
    saved_at: str | None
    replayed: bool = False


class ConsensusIn(Schema):
    model_config = {"extra": "forbid"}

    note: str


class ConsensusOut(Schema):
    part: str
    gauge: str
    note: str
    written_by: str
    written_at: dt.datetime


class ReturnIn(Schema):
    model_config = {"extra": "forbid"}

    reason: str


class ApprovalOut(Schema):
    assignment: int
    agency: str
    scope: str
    approved_at: dt.datetime | None


class CardRowOut(Schema):
    part: str
    axis: str
    code: str
    max: float
    self_score: float
    score: float | None
    source: str | None
    deficiencies: str


class ScorecardOut(Schema):
    agency: str
    approved: bool
    totals: dict[str, float]
    self_totals: dict[str, float]
    weighted: dict[str, float]
    final: float | None
    gauges: list[CardRowOut]


def _row(row: ReviewRow) -> dict[str, Any]:
    review = row.review
    return {
        "part": row.part,
        "code": row.gauge.code,
        "title": row.gauge.title,
        "axis": row.axis.code,
        "max": float(row.gauge.max_score),
        "self_score": float(row.self_score),
        "answered_by_agency": row.answer is not None and bool(row.answer.data),
        "data": review.data if review else {},
        "score": _number(row.score),
        "status": review.status if review else "",
        "version": review.version if review else 0,
        "deficiencies": review.deficiencies if review else "",
        "deficiencies_required": row.deficiencies_required,
        "others": [
            {
                "evaluator": other.assignment.evaluator.get_username(),
                "origin": other.assignment.origin,
                "score": _number(other.score),
                "status": other.status,
            }
            for other in row.others
        ],
        "gap": _number(row.gap),
        "gap_limit": float(row.limit),
        "needs_consensus": row.needs_consensus,
        "consensus": row.consensus.note if row.consensus else None,
    }


def _part(user: Any, assignment: Assignment) -> dict[str, Any]:
    sheet = review_sheet(assignment)
    own = may(user, "evaluation.review", assignment)
    return {
        "assignment": assignment.pk,
        "evaluator": assignment.evaluator.get_username(),
        "scope": assignment.scope,
        "origin": assignment.origin,
        "axes": assignment.axes,
        "approved_at": assignment.approved_at,
        "locked": review_lock(assignment) if own else None,
        "reviewed": sheet.reviewed,
        "total": sheet.total,
        "problems": approval_problems(sheet) if assignment.approved_at is None else [],
        "gauges": [_row(row) for row in sheet.rows],
    }


def _readable(user: Any, cycle: int, agency: str) -> tuple[Participation, list[Assignment]]:
    """The agency's assignments the caller reads: 404 out of sight, 403 for other roles."""
    p = scores_participation(user, cycle, agency)
    found = []
    for assignment in assignments_of(p):
        assignment.participation = p
        if may(user, "evaluation.reviews", assignment):
            found.append(assignment)
    if not found:
        raise Forbidden()
    return p, found


@router.get(
    "/{cycle}/{agency}/reviews",
    response=list[PartOut],
    summary="The evaluators' parts of an agency, gauge by gauge (an evaluator: their own)",
)
def list_reviews(request: HttpRequest, cycle: int, agency: str) -> list[dict[str, Any]]:
    _p, found = _readable(request.user, cycle, agency)
    return [_part(request.user, assignment) for assignment in found]


@router.put(
    "/{cycle}/{agency}/reviews/{part}/{gauge}",
    response={200: SaveOut, 400: ErrorOut, 403: ErrorOut, 409: ConflictOut},
    summary="Save the evaluator's answer, score and notes of one gauge; a retried key once",
)
def put_review(
    request: HttpRequest,
    cycle: int,
    agency: str,
    part: str,
    gauge: str,
    payload: ReviewIn,
    key: str | None = Header(None, alias="Idempotency-Key"),
) -> Any:
    p = scores_participation(request.user, cycle, agency)
    try:
        saved = review_save(
            actor=request.user,
            participation=p,
            part=part,
            gauge_code=gauge,
            data=payload.data,
            deficiencies=payload.deficiencies,
            version=payload.version,
            key=key,
            ip=client_ip(request),
        )
    except Conflict as conflict:
        return Status(409, conflict.body())
    return Status(200, saved)


@router.post(
    "/{cycle}/{agency}/reviews/{part}/{gauge}/preview",
    response={200: PreviewOut, 400: ErrorOut, 403: ErrorOut},
    summary="What a draft answer would score (the engine's score and explanation); unsaved",
)
def preview_review(
    request: HttpRequest, cycle: int, agency: str, part: str, gauge: str, payload: PreviewIn
) -> dict[str, Any]:
    p = scores_participation(request.user, cycle, agency)
    result = review_preview(
        actor=request.user, participation=p, part=part, gauge_code=gauge, data=payload.data
    )
    return {
        "score": float(result.score),
        "max": float(result.max),
        "status": result.status,
        "status_label": STATUS_LABELS.get(result.status, result.status),
        "explanation": result.explanation,
    }


@router.put(
    "/{cycle}/{agency}/consensus/{part}/{gauge}",
    response={200: ConsensusOut, 400: ErrorOut, 403: ErrorOut},
    summary="The consensus note on a large gap between an internal and an external score",
)
def put_consensus(
    request: HttpRequest, cycle: int, agency: str, part: str, gauge: str, payload: ConsensusIn
) -> dict[str, Any]:
    p = scores_participation(request.user, cycle, agency)
    row = consensus_write(
        actor=request.user,
        participation=p,
        part=part,
        gauge_code=gauge,
        note=payload.note,
        ip=client_ip(request),
    )
    return {
        "part": row.part,
        "gauge": row.gauge_code,
        "note": row.note,
        "written_by": row.written_by.get_username(),
        "written_at": row.written_at,
    }


def _approval(assignment: Assignment) -> dict[str, Any]:
    return {
        "assignment": assignment.pk,
        "agency": assignment.participation.agency.code,
        "scope": assignment.scope,
        "approved_at": assignment.approved_at,
    }


@router.post(
    "/{cycle}/assignments/{id}/approve",
    response={200: ApprovalOut, 400: ErrorOut, 403: ErrorOut},
    summary="The evaluator's initial approval of their part (refused with what is missing)",
)
def approve(request: HttpRequest, cycle: int, id: int) -> dict[str, Any]:
    assignment = reviewed_assignment(request.user, cycle, id)
    return _approval(
        initial_approve(actor=request.user, assignment=assignment, ip=client_ip(request))
    )


@router.post(
    "/{cycle}/assignments/{id}/return",
    response={200: ApprovalOut, 400: ErrorOut, 403: ErrorOut},
    summary="Staff return an evaluator's approved part, with a reason",
)
def return_part(request: HttpRequest, cycle: int, id: int, payload: ReturnIn) -> dict[str, Any]:
    assignment = reviewed_assignment(request.user, cycle, id)
    return _approval(
        initial_return(
            actor=request.user,
            assignment=assignment,
            reason=payload.reason,
            ip=client_ip(request),
        )
    )


@router.get(
    "/{cycle}/{agency}/scorecard",
    response=ScorecardOut,
    summary="The agency's provisional scores: gauges with an initial approval, and totals",
)
def get_scorecard(request: HttpRequest, cycle: int, agency: str) -> dict[str, Any]:
    p = scores_participation(request.user, cycle, agency)
    found = provisional(p)
    card = found.card
    if card is None:
        return {
            "agency": p.agency.code,
            "approved": False,
            "totals": {},
            "self_totals": {},
            "weighted": {},
            "final": None,
            "gauges": [],
        }
    return {
        "agency": p.agency.code,
        "approved": True,
        "totals": {c.part: float(c.result.total) for c in card.parts},
        "self_totals": {c.part: float(c.self_result.total) for c in card.parts},
        "weighted": {c.part: float(c.weighted) for c in card.parts},
        "final": float(card.composed.final),
        "gauges": [
            {
                "part": block.part,
                "axis": block.axis.code,
                "code": row.gauge.code,
                "max": float(row.gauge.max_score),
                "self_score": float(row.self_score),
                "score": _number(row.score),
                "source": row.source,
                "deficiencies": row.deficiencies,
            }
            for block in found.axes
            for row in block.rows
        ],
    }
