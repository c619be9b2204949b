"""The MoU API: the same selectors, permission checks and services as the pages.

- ``GET /agreements/{cycle}/``: every agency of the cycle with its MoU status (staff).
- ``GET /agreements/{cycle}/{agency}``: the versions, their targets, and the gauges needing one.
- ``POST …/{agency}/start``, ``…/targets``, ``…/approve``, ``…/impose``, ``…/specific``,
  ``…/slice``; ``POST /agreements/{cycle}/import`` (multipart ``file``).
"""

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from karnameh.accounts.permissions import require
from karnameh.accounts.throttle import client_ip
from karnameh.agencies.excel import ImportRejected
from karnameh.catalogue.selectors import visible_catalogue
from karnameh.common.errors import DomainError
from karnameh.cycles.models import Participation
from karnameh.cycles.selectors import visible_cycle, visible_participations
from karnameh.scoring.numbers import plain

from .excel import targets_import
from .models import Agreement
from .selectors import (
    cycle_overview,
    mou_state,
    open_draft,
    targets_needed,
    versions,
    visible_mou,
    visible_mou_cycle,
)
from .services import (
    SIDES,
    Key,
    agreement_approve,
    agreement_impose,
    agreement_start,
    slice_create,
    specific_assign,
    targets_set,
)

router = Router(tags=["agreements"])


class StatusOut(Schema):
    agency: str
    name: str
    specific_catalogue: str | None
    status: str
    in_force: int | None
    draft: int | None


class TargetIn(Schema):
    model_config = {"extra": "forbid"}

    part: str
    gauge: str
    value: str | float | None


class TargetsIn(Schema):
    model_config = {"extra": "forbid"}

    targets: list[TargetIn]
    reason: str = ""


class ApproveIn(Schema):
    model_config = {"extra": "forbid"}

    side: str


class AssignIn(Schema):
    model_config = {"extra": "forbid"}

    catalogue: str
    reason: str = ""


class SliceIn(Schema):
    model_config = {"extra": "forbid"}

    source: str
    code: str
    title: str


class VersionOut(Schema):
    version: int
    status: str
    note: str
    agency_approved_by: str | None
    agency_approved_at: str | None
    organization_approved_by: str | None
    organization_approved_at: str | None
    targets: dict[str, str]


class ParticipationOut(Schema):
    agency: str
    specific_catalogue: str | None
    status: str
    needed: list[dict[str, str]]
    versions: list[VersionOut]


def _when(value: Any) -> str | None:
    return value.isoformat() if value else None


def _who(user: Any) -> str | None:
    return user.get_username() if user else None


def _version(agreement: Agreement) -> dict[str, Any]:
    return {
        "version": agreement.version,
        "status": agreement.status,
        "note": agreement.note,
        "agency_approved_by": _who(agreement.agency_approved_by),
        "agency_approved_at": _when(agreement.agency_approved_at),
        "organization_approved_by": _who(agreement.organization_approved_by),
        "organization_approved_at": _when(agreement.organization_approved_at),
        "targets": {f"{t.part}:{t.gauge_code}": plain(t.value) for t in agreement.targets.all()},
    }


def _detail(participation: Participation) -> dict[str, Any]:
    history = versions(participation)
    specific = participation.specific_catalogue
    return {
        "agency": participation.agency.code,
        "specific_catalogue": specific.code if specific else None,
        "status": mou_state(history).status,
        "needed": [
            {"part": part, "gauge": gauge.code, "title": gauge.title}
            for part, _indicator, gauge in targets_needed(participation)
        ],
        "versions": [_version(a) for a in history],
    }


def _targets(payload: TargetsIn) -> dict[Key, Any]:
    return {(t.part, t.gauge): None if t.value is None else str(t.value) for t in payload.targets}


@router.get("/{cycle}/", response=list[StatusOut], summary="Every agency's MoU status in a cycle")
def list_cycle(request: HttpRequest, cycle: int) -> list[dict[str, Any]]:
    found = visible_mou_cycle(request.user, cycle)
    rows = cycle_overview(visible_participations(request.user).filter(cycle=found))
    return [
        {
            "agency": row.participation.agency.code,
            "name": row.participation.agency.name,
            "specific_catalogue": (
                row.participation.specific_catalogue.code
                if row.participation.specific_catalogue
                else None
            ),
            "status": row.state.status,
            "in_force": row.state.in_force.version if row.state.in_force else None,
            "draft": row.state.draft.version if row.state.draft else None,
        }
        for row in rows
    ]


@router.post(
    "/{cycle}/import",
    response={200: dict[str, Any], 400: dict[str, Any]},
    summary="Import targets from Excel",
)
def import_targets(request: HttpRequest, cycle: int, file: UploadedFile = File(...)) -> Any:  # noqa: B008
    found = visible_cycle(request.user, cycle)
    try:
        result = targets_import(
            actor=request.user,
            cycle=found,
            upload=file,
            filename=file.name or "",
            ip=client_ip(request),
        )
    except ImportRejected as rejected:
        errors = [
            {"row": e.row, "column": e.column, "message": e.message, "code": e.code}
            for e in rejected.errors
        ]
        return Status(400, {"detail": rejected.message, "code": rejected.code, "errors": errors})
    return {
        "agencies": list(result.agencies),
        "targets": result.targets,
        "started": list(result.started),
    }


@router.get("/{cycle}/{agency}", response=ParticipationOut, summary="One agency's MoU versions")
def get_participation(request: HttpRequest, cycle: int, agency: str) -> dict[str, Any]:
    return _detail(visible_mou(request.user, cycle, agency))


@router.post("/{cycle}/{agency}/start", response=ParticipationOut, summary="Start a new version")
def start(request: HttpRequest, cycle: int, agency: str) -> dict[str, Any]:
    participation = visible_mou(request.user, cycle, agency)
    agreement_start(actor=request.user, participation=participation, ip=client_ip(request))
    return _detail(participation)


@router.post("/{cycle}/{agency}/targets", response=ParticipationOut, summary="Set draft targets")
def set_targets(request: HttpRequest, cycle: int, agency: str, payload: TargetsIn) -> Any:
    participation = visible_mou(request.user, cycle, agency)
    # Refused (403) before anything is said about the drafts.
    require(request.user, "agreement.change", participation)
    draft = open_draft(participation)
    if draft is None:
        raise DomainError(_("No draft version is open: start one first."), code="no_draft")
    targets_set(
        actor=request.user,
        agreement=draft,
        targets=_targets(payload),
        reason=payload.reason,
        ip=client_ip(request),
    )
    return _detail(participation)


@router.post("/{cycle}/{agency}/approve", response=ParticipationOut, summary="Approve a draft")
def approve(request: HttpRequest, cycle: int, agency: str, payload: ApproveIn) -> Any:
    participation = visible_mou(request.user, cycle, agency)
    if payload.side in SIDES:
        # Refused (403) before anything is said about the drafts.
        require(request.user, f"agreement.approve_{payload.side}", participation)
    draft = open_draft(participation)
    if draft is None:
        raise Http404
    agreement_approve(actor=request.user, agreement=draft, side=payload.side, ip=client_ip(request))
    return _detail(participation)


@router.post("/{cycle}/{agency}/impose", response=ParticipationOut, summary="Set targets")
def impose(request: HttpRequest, cycle: int, agency: str, payload: TargetsIn) -> Any:
    participation = visible_mou(request.user, cycle, agency)
    agreement_impose(
        actor=request.user,
        participation=participation,
        targets=_targets(payload),
        reason=payload.reason,
        ip=client_ip(request),
    )
    return _detail(participation)


@router.post("/{cycle}/{agency}/specific", response=ParticipationOut, summary="Assign")
def assign(request: HttpRequest, cycle: int, agency: str, payload: AssignIn) -> Any:
    participation = visible_mou(request.user, cycle, agency)
    catalogue = visible_catalogue(request.user, payload.catalogue)
    specific_assign(
        actor=request.user,
        participation=participation,
        catalogue=catalogue,
        reason=payload.reason,
        ip=client_ip(request),
    )
    participation.refresh_from_db()
    return _detail(participation)


@router.post("/{cycle}/{agency}/slice", response=ParticipationOut, summary="Provincial slice")
def make_slice(request: HttpRequest, cycle: int, agency: str, payload: SliceIn) -> Any:
    participation = visible_mou(request.user, cycle, agency)
    source = visible_catalogue(request.user, payload.source)
    slice_create(
        actor=request.user,
        participation=participation,
        source=source,
        code=payload.code,
        title=payload.title,
        ip=client_ip(request),
    )
    participation.refresh_from_db()
    return _detail(participation)
