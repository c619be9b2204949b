"""The self-assessment API: the same lookups, services and engine as the workspace pages.

Workspace (an agency's entry, step 6):

- ``GET /assessments/{cycle}/{agency}/``: state, deadline, progress, every axis and gauge.
- ``GET /assessments/{cycle}/{agency}/{part}/{gauge}``: one answer, its version, score,
  explanation and evidence.
- ``PUT`` the same path with ``{"data": {...}, "comment": "", "version": N}`` and an optional
  ``Idempotency-Key`` header: 200 with the save, 409 with both answers on a conflict.
- ``POST .../{part}/{gauge}/evidence`` (multipart ``files``), ``GET``/``DELETE
  .../evidence/{id}``.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from ninja import File, Header, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import BaseModel

from karnameh.accounts.permissions import require
from karnameh.accounts.throttle import client_ip
from karnameh.cycles.deadlines import deadline
from karnameh.cycles.steps import SELF_ASSESSMENT
from karnameh.files.responses import file_response
from karnameh.scoring.engine import STATUS_LABELS

from .models import Evidence
from .selectors import GaugeRow, gauge_or_404, gauge_row, visible_assessment, workspace
from .services import Conflict, answer_save, entry_lock, evidence_add, evidence_remove

router = Router(tags=["assessments"])


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


class ErrorOut(Schema):
    detail: str
    code: str


class ConflictOut(Schema):
    """Someone saved first: nothing was saved; ``theirs`` is stored, ``mine`` was refused."""

    detail: str
    code: str
    theirs: dict[str, Any]
    mine: dict[str, Any]


class EvidenceOut(Schema):
    id: int
    name: str
    size: int
    sha256: str
    kind: str
    added_by: str
    added_at: dt.datetime

    @staticmethod
    def resolve_name(obj: Evidence) -> str:
        return obj.file.name

    @staticmethod
    def resolve_size(obj: Evidence) -> int:
        return obj.file.size

    @staticmethod
    def resolve_sha256(obj: Evidence) -> str:
        return obj.file.sha256

    @staticmethod
    def resolve_kind(obj: Evidence) -> str:
        return obj.file.kind

    @staticmethod
    def resolve_added_by(obj: Evidence) -> str:
        return obj.added_by.display_name


# The status lists every gauge (a hundred or more rows, built as dicts here): plain pydantic
# models validate them in pydantic's compiled core, where ninja's Schema would wrap each row
# to read Django objects first (a sixth of the request's time). Same OpenAPI schema.
class GaugeStateOut(BaseModel):
    part: str
    code: str
    title: str
    max: float
    score: float | None
    status: str
    answered: bool
    version: int
    evidence: int
    evidence_missing: bool
    # Scored by the organization at the end (convergence), not by the agency.
    later: bool


class AxisOut(BaseModel):
    part: str
    code: str
    title: str
    max: float
    score: float
    answered: int
    total: int


class WorkspaceOut(Schema):
    cycle: int
    agency: str
    state: str
    state_label: str
    version: int
    deadline: dt.datetime | None
    deadline_label: str
    extended: bool
    locked: str | None
    answered: int
    total: int
    percent: int
    evidence_missing: int
    axes: list[AxisOut]
    gauges: list[GaugeStateOut]


class GaugeOut(Schema):
    part: str
    code: str
    title: str
    max: float
    answer: dict[str, Any]
    comment: str
    version: int
    score: float | None
    status: str
    status_label: str
    explanation: str
    target: float | None
    locked: str | None
    evidence: list[EvidenceOut]


class AnswerIn(Schema):
    """One gauge's answer as an answers file writes it (docs/catalogue-format.md), without the
    MoU target; ``version`` is the answer's version the client started from (0 if new)."""

    model_config = {"extra": "forbid"}

    data: dict[str, Any] = {}
    comment: str = ""
    version: int


class SaveOut(Schema):
    answer: int
    version: int
    score: str | None
    status: str
    changed: bool
    saved_at: str | None
    replayed: bool = False


def _gauge_state(row: GaugeRow) -> dict[str, Any]:
    return {
        "part": row.part,
        "code": row.gauge.code,
        "title": row.gauge.title,
        "max": float(row.gauge.max_score),
        "score": None if row.later else _number(row.result.score),
        "status": row.result.status,
        "answered": row.answered,
        "version": row.version,
        "evidence": len(row.evidence),
        "evidence_missing": row.evidence_missing,
        "later": row.later,
    }


@router.get(
    "/{cycle}/{agency}/",
    response=WorkspaceOut,
    summary="An agency's self-assessment: state, deadline, progress, axes and gauges",
)
def get_workspace(request: HttpRequest, cycle: int, agency: str) -> dict[str, Any]:
    p = visible_assessment(request.user, cycle, agency)
    ws = workspace(p)
    closes = deadline(p, SELF_ASSESSMENT)
    return {
        "cycle": p.cycle_id,
        "agency": p.agency.code,
        "state": p.state,
        "state_label": p.get_state_display(),
        "version": p.version,
        "deadline": closes.closes,
        "deadline_label": closes.label(),
        "extended": closes.extended,
        "locked": entry_lock(p),
        "answered": ws.answered,
        "total": ws.total,
        "percent": ws.percent,
        "evidence_missing": ws.evidence_missing,
        "axes": [
            {
                "part": block.part,
                "code": block.axis.code,
                "title": block.axis.title,
                "max": float(block.axis.max_score),
                "score": float(block.score),
                "answered": block.answered,
                "total": block.total,
            }
            for block in ws.blocks
        ],
        "gauges": [_gauge_state(row) for row in ws.rows()],
    }


# The evidence paths come before the gauge paths: «evidence/5» must not read as a gauge.
@router.get(
    "/{cycle}/{agency}/evidence/{id}",
    response={200: None},
    summary="Download one evidence file",
)
def download_evidence(request: HttpRequest, cycle: int, agency: str, id: int) -> HttpResponseBase:
    p = visible_assessment(request.user, cycle, agency)
    require(request.user, "evidence.download", p)
    evidence = get_object_or_404(Evidence.objects.select_related("file"), pk=id, participation=p)
    return file_response(evidence.file)


@router.delete(
    "/{cycle}/{agency}/evidence/{id}",
    response={204: None, 400: ErrorOut},
    summary="Take a file off its gauge (it stays in the record, marked removed)",
)
def delete_evidence(request: HttpRequest, cycle: int, agency: str, id: int) -> Any:
    p = visible_assessment(request.user, cycle, agency)
    evidence = get_object_or_404(
        Evidence.objects.select_related("file"), pk=id, participation=p, removed_at__isnull=True
    )
    evidence_remove(actor=request.user, evidence=evidence, ip=client_ip(request))
    return Status(204, None)


@router.get(
    "/{cycle}/{agency}/{part}/{gauge}",
    response=GaugeOut,
    summary="One gauge's answer, version, self-score, explanation and evidence",
)
def get_gauge(request: HttpRequest, cycle: int, agency: str, part: str, gauge: str) -> Any:
    p = visible_assessment(request.user, cycle, agency)
    row = gauge_row(p, part, gauge)
    answer = row.answer
    return {
        **_gauge_state(row),
        "answer": answer.data if answer else {},
        "comment": answer.comment if answer else "",
        "status_label": STATUS_LABELS.get(row.result.status, row.result.status),
        "explanation": row.result.explanation,
        "target": _number(row.target),
        "locked": entry_lock(p),
        "evidence": row.evidence,
    }


@router.put(
    "/{cycle}/{agency}/{part}/{gauge}",
    response={200: SaveOut, 400: ErrorOut, 409: ConflictOut},
    summary="Save one gauge's answer (a draft); a retried key is applied once",
)
def put_gauge(
    request: HttpRequest,
    cycle: int,
    agency: str,
    part: str,
    gauge: str,
    payload: AnswerIn,
    key: str | None = Header(None, alias="Idempotency-Key"),
) -> Any:
    p = visible_assessment(request.user, cycle, agency)
    gauge_or_404(p, part, gauge)
    try:
        saved = answer_save(
            actor=request.user,
            participation=p,
            part=part,
            gauge_code=gauge,
            data=payload.data,
            comment=payload.comment,
            version=payload.version,
            key=key,
            ip=client_ip(request),
        )
    except Conflict as conflict:
        return Status(409, conflict.body())
    return Status(200, saved)


@router.post(
    "/{cycle}/{agency}/{part}/{gauge}/evidence",
    response={201: list[EvidenceOut], 400: ErrorOut},
    summary="Attach files to one gauge (multipart field «files», one or more)",
)
def post_evidence(
    request: HttpRequest,
    cycle: int,
    agency: str,
    part: str,
    gauge: str,
    files: list[UploadedFile] = File(...),  # noqa: B008
) -> Any:
    p = visible_assessment(request.user, cycle, agency)
    gauge_or_404(p, part, gauge)
    # Each file is its own change: a refused file leaves the ones before it attached.
    added = [
        evidence_add(
            actor=request.user,
            participation=p,
            part=part,
            gauge_code=gauge,
            upload=upload,
            ip=client_ip(request),
        )
        for upload in files
    ]
    return Status(201, added)
