"""The cycle API: the same selectors, services and checks as the pages."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from karnameh.accounts.models import User
from karnameh.accounts.permissions import require
from karnameh.accounts.throttle import client_ip
from karnameh.agencies.models import Agency, AgencyType, Province
from karnameh.catalogue.selectors import visible_catalogues
from karnameh.common.errors import DomainError
from karnameh.common.text import persian_digits

from .models import Attendance, Cycle, Participation, Step, Workshop
from .selectors import visible_cycle, visible_cycles, visible_participations
from .services import (
    circular_attach,
    cycle_create,
    cycle_publish,
    cycle_update,
    participants_set,
    step_update,
    weights_set,
)
from .workshops import attendance_record, workshop_save

router = Router(tags=["cycles"])


class CycleOut(Schema):
    id: int
    year: int
    level: str
    province: str | None
    title: str
    general_catalogue: str
    composition: dict[str, Any]
    status: str
    published_at: dt.datetime | None
    circular: str | None

    @staticmethod
    def resolve_province(obj: Cycle) -> str | None:
        return obj.province.code if obj.province_id else None  # type: ignore[union-attr]

    @staticmethod
    def resolve_general_catalogue(obj: Cycle) -> str:
        return obj.general_catalogue.code

    @staticmethod
    def resolve_circular(obj: Cycle) -> str | None:
        return obj.circular.name if obj.circular_id else None  # type: ignore[union-attr]


class StepOut(Schema):
    number: int
    planned_start: dt.date
    planned_end: dt.date
    actual_start: dt.datetime | None
    actual_end: dt.datetime | None


class ParticipantOut(Schema):
    agency: str
    name: str
    state: str

    @staticmethod
    def resolve_agency(obj: Participation) -> str:
        return obj.agency.code

    @staticmethod
    def resolve_name(obj: Participation) -> str:
        return obj.agency.name


class CycleDetailOut(CycleOut):
    steps: list[StepOut]
    participants: list[ParticipantOut]

    @staticmethod
    def resolve_steps(obj: Cycle) -> list[Step]:
        return list(obj.steps.all())

    @staticmethod
    def resolve_participants(obj: Cycle) -> list[Participation]:
        return list(getattr(obj, "visible_participants", []))


class CycleIn(Schema):
    model_config = {"extra": "forbid"}

    year: int
    level: str
    province: str | None = None
    title: str
    general_catalogue: str
    start: dt.date
    composition: dict[str, Any] | None = None


class CyclePatch(Schema):
    model_config = {"extra": "forbid"}

    title: str | None = None
    composition: dict[str, Any] | None = None
    reason: str = ""


class StepIn(Schema):
    model_config = {"extra": "forbid"}

    number: int
    planned_start: dt.date
    planned_end: dt.date


class StepsIn(Schema):
    model_config = {"extra": "forbid"}

    steps: list[StepIn]
    reason: str = ""


class ParticipantsIn(Schema):
    model_config = {"extra": "forbid"}

    agencies: list[str]
    reason: str = ""


class WeightsIn(Schema):
    model_config = {"extra": "forbid"}

    weights: dict[str, Any]
    reason: str = ""


class WorkshopIn(Schema):
    model_config = {"extra": "forbid"}

    step: int
    title: str
    audience: str
    starts_at: dt.datetime
    place: str
    description: str = ""


class WorkshopOut(Schema):
    id: int
    step: int
    title: str
    audience: str
    starts_at: dt.datetime
    place: str
    description: str


class AttendanceIn(Schema):
    model_config = {"extra": "forbid"}

    agency: str | None = None
    user: str | None = None
    name: str = ""
    attended: bool = False


class AttendanceOut(Schema):
    agency: str | None
    name: str
    attended: bool

    @staticmethod
    def resolve_agency(obj: Attendance) -> str | None:
        return obj.agency.code if obj.agency_id else None  # type: ignore[union-attr]


def _detail(request: HttpRequest, cycle: Cycle) -> Cycle:
    """The cycle with the participations this caller may see (an agency: its own)."""
    participants = visible_participations(request.user).filter(cycle=cycle)
    cycle.visible_participants = list(participants.order_by("agency__code"))  # type: ignore[attr-defined]
    return cycle


@router.get("/", response=list[CycleOut], summary="Cycles the caller may see")
def list_cycles(request: HttpRequest) -> Any:
    require(request.user, "cycle.list")
    return visible_cycles(request.user).select_related("circular")


@router.get("/{pk}", response=CycleDetailOut, summary="One cycle with its steps and participants")
def get_cycle(request: HttpRequest, pk: int) -> Any:
    return _detail(request, visible_cycle(request.user, pk))


@router.post("/", response={201: CycleDetailOut}, summary="Create a draft cycle (staff, admin)")
def create_cycle(request: HttpRequest, payload: CycleIn) -> Any:
    require(request.user, "cycle.create")
    province = get_object_or_404(Province, code=payload.province) if payload.province else None
    catalogue = get_object_or_404(visible_catalogues(request.user), code=payload.general_catalogue)
    cycle = cycle_create(
        actor=request.user,
        year=payload.year,
        level=payload.level,
        province=province,
        title=payload.title,
        general_catalogue=catalogue,
        start=payload.start,
        composition=payload.composition,
        ip=client_ip(request),
    )
    return Status(201, _detail(request, visible_cycle(request.user, cycle.pk)))


@router.patch("/{pk}", response=CycleDetailOut, summary="Change title or composition")
def patch_cycle(request: HttpRequest, pk: int, payload: CyclePatch) -> Any:
    cycle = visible_cycle(request.user, pk)
    cycle_update(
        actor=request.user,
        cycle=cycle,
        title=payload.title,
        composition=payload.composition,
        reason=payload.reason,
        ip=client_ip(request),
    )
    return _detail(request, visible_cycle(request.user, pk))


@router.put("/{pk}/steps", response=CycleDetailOut, summary="Move steps on the calendar")
def put_steps(request: HttpRequest, pk: int, payload: StepsIn) -> Any:
    cycle = visible_cycle(request.user, pk)
    # Asked here too: an empty list of steps would otherwise answer 200 to anyone.
    require(request.user, "cycle.change", cycle)
    steps = {step.number: step for step in cycle.steps.all()}
    # All the steps sent or none of them.
    with transaction.atomic():
        for item in payload.steps:
            step: Step | None = steps.get(item.number)
            if step is None:
                raise DomainError(
                    _("Step %(number)s is not in this cycle.")
                    % {"number": persian_digits(item.number)},
                    code="no_step",
                )
            step_update(
                actor=request.user,
                step=step,
                planned_start=item.planned_start,
                planned_end=item.planned_end,
                reason=payload.reason,
                ip=client_ip(request),
            )
    return _detail(request, visible_cycle(request.user, pk))


@router.put("/{pk}/participants", response=CycleDetailOut, summary="Set the participants")
def put_participants(request: HttpRequest, pk: int, payload: ParticipantsIn) -> Any:
    cycle = visible_cycle(request.user, pk)
    found = {a.code: a for a in Agency.objects.filter(code__in=payload.agencies)}
    unknown = sorted(set(payload.agencies) - found.keys())
    if unknown:
        raise DomainError(
            _("These codes are not in the agency registry: %(codes)s.")
            % {"codes": "، ".join(unknown)},
            code="unknown_agency",
        )
    participants_set(
        actor=request.user,
        cycle=cycle,
        agencies=list(found.values()),
        reason=payload.reason,
        ip=client_ip(request),
    )
    return _detail(request, visible_cycle(request.user, pk))


@router.put("/{pk}/weights/{type_code}", response=dict[str, Any], summary="Weights of a type")
def put_weights(request: HttpRequest, pk: int, type_code: str, payload: WeightsIn) -> Any:
    cycle = visible_cycle(request.user, pk)
    agency_type = get_object_or_404(AgencyType, code=type_code)
    saved = weights_set(
        actor=request.user,
        cycle=cycle,
        agency_type=agency_type,
        weights=payload.weights,
        reason=payload.reason,
        ip=client_ip(request),
    )
    return {"agency_type": agency_type.code, "weights": saved.weights}


@router.post("/{pk}/circular", response=CycleOut, summary="Attach the circular (multipart)")
def post_circular(request: HttpRequest, pk: int, upload: File[UploadedFile]) -> Any:
    cycle = visible_cycle(request.user, pk)
    circular_attach(actor=request.user, cycle=cycle, upload=upload, ip=client_ip(request))
    return visible_cycle(request.user, pk)


@router.post("/{pk}/publish", response=CycleOut, summary="Publish and tell the agencies")
def post_publish(request: HttpRequest, pk: int) -> Any:
    cycle = visible_cycle(request.user, pk)
    cycle_publish(actor=request.user, cycle=cycle, ip=client_ip(request))
    return visible_cycle(request.user, pk)


@router.get("/{pk}/workshops", response=list[WorkshopOut], summary="The cycle's workshops")
def list_workshops(request: HttpRequest, pk: int) -> Any:
    return visible_cycle(request.user, pk).workshops.all()


@router.post("/{pk}/workshops", response={201: WorkshopOut}, summary="Plan a workshop")
def create_workshop(request: HttpRequest, pk: int, payload: WorkshopIn) -> Any:
    cycle = visible_cycle(request.user, pk)
    workshop = workshop_save(
        actor=request.user, cycle=cycle, ip=client_ip(request), **payload.dict()
    )
    return Status(201, workshop)


@router.put("/{pk}/workshops/{workshop_id}", response=WorkshopOut, summary="Change a workshop")
def put_workshop(request: HttpRequest, pk: int, workshop_id: int, payload: WorkshopIn) -> Any:
    cycle = visible_cycle(request.user, pk)
    workshop = get_object_or_404(Workshop, pk=workshop_id, cycle=cycle)
    return workshop_save(
        actor=request.user, cycle=cycle, workshop=workshop, ip=client_ip(request), **payload.dict()
    )


@router.put(
    "/{pk}/workshops/{workshop_id}/attendance",
    response=list[AttendanceOut],
    summary="Record who attended",
)
def put_attendance(
    request: HttpRequest, pk: int, workshop_id: int, payload: list[AttendanceIn]
) -> Any:
    cycle = visible_cycle(request.user, pk)
    workshop = get_object_or_404(Workshop, pk=workshop_id, cycle=cycle)
    agencies = {
        a.code: a for a in Agency.objects.filter(code__in=[r.agency for r in payload if r.agency])
    }
    users = {
        u.username: u for u in User.objects.filter(username__in=[r.user for r in payload if r.user])
    }
    rows = []
    for row in payload:
        if row.agency and row.agency not in agencies:
            raise DomainError(
                _("There is no agency with the code “%(code)s”.") % {"code": row.agency},
                code="unknown_agency",
            )
        if row.user and row.user not in users:
            raise DomainError(
                _("There is no user named “%(name)s”.") % {"name": row.user},
                code="unknown_user",
            )
        rows.append(
            (
                agencies.get(row.agency or ""),
                users.get(row.user or ""),
                row.name,
                row.attended,
            )
        )
    return attendance_record(
        actor=request.user, workshop=workshop, rows=rows, ip=client_ip(request)
    )
