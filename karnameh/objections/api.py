"""objections over the API: the same services and selectors as the pages.

Scores in an answer (``old_score``, ``new_score``) are null unless the caller passes
``scores.view`` for that agency, as on the pages.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from karnameh.accounts.models import User
from karnameh.accounts.permissions import may, require
from karnameh.accounts.throttle import client_ip
from karnameh.assessments.models import Part
from karnameh.common.errors import DomainError
from karnameh.cycles.models import Cycle, Participation
from karnameh.cycles.selectors import visible_cycle, visible_participation
from karnameh.files.responses import file_response
from karnameh.scoring.engine import STATUS_LABELS

from .groups import group_create, group_members, meeting_record
from .models import ExpertGroup, Meeting, Objection, ObjectionState
from .selectors import (
    agency_objections,
    cycle_objections,
    group_or_404,
    members_of_cycle,
    objection_or_404,
    queue,
    visible_groups,
)
from .services import (
    objection_decide,
    objection_file,
    objection_preview,
    objection_record,
    objection_route,
    objection_withdraw,
)

router = Router(tags=["objections"])


class ObjectionOut(Schema):
    id: int
    agency: str
    part: str
    gauge: str
    state: str
    in_person: bool
    representative: str
    reasoning: str
    evidence: list[str]
    filed_by: str | None
    filed_at: dt.datetime
    group: int | None
    routed_at: dt.datetime | None
    withdrawn_at: dt.datetime | None
    reasons: str
    decided_by: str | None
    decided_at: dt.datetime | None
    meeting: int | None
    # Null unless the caller may see this agency's scores (scores.view).
    old_score: Decimal | None
    new_score: Decimal | None
    answer: dict[str, Any] | None


class GroupOut(Schema):
    id: int
    name: str
    members: list[str]


class MeetingOut(Schema):
    id: int
    group: int
    held_on: dt.date
    present: list[str]
    minutes: str
    notes: str


class ScoreOut(Schema):
    score: Decimal
    max: Decimal
    status: str
    status_label: str
    explanation: str


class WithdrawIn(Schema):
    model_config = {"extra": "forbid"}

    reason: str = ""


class RouteIn(Schema):
    model_config = {"extra": "forbid"}

    group: int


class DecideIn(Schema):
    model_config = {"extra": "forbid"}

    outcome: str  # "accept" or "reject"
    reasons: str = ""
    answer: dict[str, Any] | None = None
    meeting: int | None = None


class PreviewIn(Schema):
    model_config = {"extra": "forbid"}

    answer: dict[str, Any]


class GroupIn(Schema):
    model_config = {"extra": "forbid"}

    name: str
    members: list[str]


class MembersIn(Schema):
    model_config = {"extra": "forbid"}

    members: list[str]


def _out(user: Any, o: Objection, shown: dict[int, bool]) -> dict[str, Any]:
    if o.participation_id not in shown:
        shown[o.participation_id] = may(user, "scores.view", o.participation)
    scores = shown[o.participation_id]
    return {
        "id": o.pk,
        "agency": o.participation.agency.code,
        "part": o.part,
        "gauge": o.gauge_code,
        "state": o.state,
        "in_person": o.in_person,
        "representative": o.representative,
        "reasoning": o.reasoning,
        "evidence": [f.name for f in o.evidence.all()],
        "filed_by": o.filed_by.get_username() if o.filed_by else None,
        "filed_at": o.filed_at,
        "group": o.group_id,
        "routed_at": o.routed_at,
        "withdrawn_at": o.withdrawn_at,
        "reasons": o.reasons,
        "decided_by": o.decided_by.get_username() if o.decided_by else None,
        "decided_at": o.decided_at,
        "meeting": o.meeting_id,
        "old_score": o.old_score if scores else None,
        "new_score": o.new_score if scores else None,
        "answer": o.answer if scores and o.state == ObjectionState.ACCEPTED else None,
    }


def _many(user: Any, rows: list[Objection], cycle: Cycle) -> list[dict[str, Any]]:
    shown: dict[int, bool] = {}
    for o in rows:
        o.participation.cycle = cycle  # one cycle object: its release is read once
    return [_out(user, o, shown) for o in rows]


def _one(user: Any, o: Objection) -> dict[str, Any]:
    return _out(user, o, {})


def _users(cycle: Cycle, usernames: list[str]) -> list[User]:
    found = {u.username: u for u in members_of_cycle(cycle).filter(username__in=usernames)}
    unknown = [name for name in usernames if name not in found]
    if unknown:
        raise DomainError(
            _("%(names)s may not sit in an expert group of this cycle.")
            % {"names": "، ".join(unknown)},
            code="not_eligible",
        )
    return list(found.values())


def _participation(user: Any, cycle: int, agency: str) -> Participation:
    p = visible_participation(user, cycle, agency)
    require(user, "objection.list", p)
    return p


def _objection(request: HttpRequest, cycle: int, pk: int) -> Objection:
    return objection_or_404(request.user, visible_cycle(request.user, cycle), pk)


@router.get("/{cycle}", response=list[ObjectionOut], summary="The cycle's objections")
def list_cycle(request: HttpRequest, cycle: int, state: str = "") -> list[dict[str, Any]]:
    found = visible_cycle(request.user, cycle)
    require(request.user, "objection.cycle", found)
    rows = cycle_objections(found, state if state in ObjectionState.values else None)
    return _many(request.user, rows, found)


@router.get("/{cycle}/agency/{agency}", response=list[ObjectionOut], summary="An agency's")
def list_agency(request: HttpRequest, cycle: int, agency: str) -> list[dict[str, Any]]:
    p = _participation(request.user, cycle, agency)
    return _many(request.user, agency_objections(p), p.cycle)


@router.post(
    "/{cycle}/agency/{agency}/{part}/{gauge}",
    response={201: ObjectionOut},
    summary="File an objection (multipart: reasoning, files)",
)
def post_file(
    request: HttpRequest,
    cycle: int,
    agency: str,
    part: str,
    gauge: str,
    reasoning: Form[str] = "",
    files: list[UploadedFile] = File(default=None),  # noqa: B008
) -> Status[dict[str, Any]]:
    p = _participation(request.user, cycle, agency)
    if part not in Part.values:
        raise Http404
    objection = objection_file(
        actor=request.user,
        participation=p,
        part=part,
        gauge_code=gauge,
        reasoning=reasoning,
        uploads=files or [],
        ip=client_ip(request),
    )
    return Status(201, _one(request.user, objection))


@router.post(
    "/{cycle}/in-person",
    response={201: ObjectionOut},
    summary="Record an objection brought in person (multipart)",
)
def post_in_person(
    request: HttpRequest,
    cycle: int,
    agency: Form[str],
    part: Form[str],
    gauge: Form[str],
    reasoning: Form[str] = "",
    representative: Form[str] = "",
    files: list[UploadedFile] = File(default=None),  # noqa: B008
) -> Status[dict[str, Any]]:
    found = visible_cycle(request.user, cycle)
    require(request.user, "objection.group", found)
    p = (
        Participation.objects.select_related("cycle", "agency")
        .filter(cycle=found, agency__code=agency)
        .first()
    )
    if p is None or part not in Part.values:
        raise DomainError(
            _("%(code)s does not take part in this cycle.") % {"code": agency},
            code="no_such_agency",
        )
    objection = objection_record(
        actor=request.user,
        participation=p,
        part=part,
        gauge_code=gauge,
        reasoning=reasoning,
        representative=representative,
        uploads=files or [],
        ip=client_ip(request),
    )
    return Status(201, _one(request.user, objection))


@router.get("/{cycle}/objections/{pk}", response=ObjectionOut, summary="One objection")
def get_objection(request: HttpRequest, cycle: int, pk: int) -> dict[str, Any]:
    return _one(request.user, _objection(request, cycle, pk))


@router.get("/{cycle}/objections/{pk}/evidence/{file}", summary="One file of new evidence")
def get_evidence(request: HttpRequest, cycle: int, pk: int, file: int) -> HttpResponseBase:
    objection = _objection(request, cycle, pk)
    return file_response(get_object_or_404(objection.evidence.all(), pk=file))


@router.post("/{cycle}/objections/{pk}/withdraw", response=ObjectionOut, summary="Withdraw")
def post_withdraw(request: HttpRequest, cycle: int, pk: int, payload: WithdrawIn) -> Any:
    objection = objection_withdraw(
        actor=request.user,
        objection=_objection(request, cycle, pk),
        reason=payload.reason,
        ip=client_ip(request),
    )
    return _one(request.user, objection)


@router.post("/{cycle}/objections/{pk}/route", response=ObjectionOut, summary="Route to a group")
def post_route(request: HttpRequest, cycle: int, pk: int, payload: RouteIn) -> Any:
    objection = _objection(request, cycle, pk)
    require(request.user, "objection.route", objection)
    group = get_object_or_404(
        ExpertGroup, pk=payload.group, cycle_id=objection.participation.cycle_id
    )
    routed = objection_route(
        actor=request.user, objection=objection, group=group, ip=client_ip(request)
    )
    return _one(request.user, routed)


@router.post("/{cycle}/objections/{pk}/decide", response=ObjectionOut, summary="Decide")
def post_decide(request: HttpRequest, cycle: int, pk: int, payload: DecideIn) -> Any:
    objection = _objection(request, cycle, pk)
    require(request.user, "objection.decide", objection)
    if payload.outcome not in ("accept", "reject"):
        raise DomainError(_("The outcome is accept or reject."), code="bad_outcome")
    meeting = None
    if payload.meeting is not None:
        meeting = Meeting.objects.filter(pk=payload.meeting, group_id=objection.group_id).first()
        if meeting is None:
            raise DomainError(
                _("That meeting is not one of this expert group's meetings."),
                code="wrong_meeting",
            )
    decided = objection_decide(
        actor=request.user,
        objection=objection,
        accepted=payload.outcome == "accept",
        reasons=payload.reasons,
        data=payload.answer,
        meeting=meeting,
        ip=client_ip(request),
    )
    return _one(request.user, decided)


@router.post(
    "/{cycle}/objections/{pk}/preview",
    response=ScoreOut,
    summary="The engine's score of a proposed answer (nothing saved)",
)
def post_preview(request: HttpRequest, cycle: int, pk: int, payload: PreviewIn) -> Any:
    objection = _objection(request, cycle, pk)
    require(request.user, "objection.decide", objection)
    require(request.user, "scores.view", objection.participation)
    result = objection_preview(actor=request.user, objection=objection, data=payload.answer)
    return {
        "score": result.score,
        "max": result.max,
        "status": result.status,
        "status_label": STATUS_LABELS.get(result.status, result.status),
        "explanation": result.explanation,
    }


@router.get("/{cycle}/queue", response=list[ObjectionOut], summary="My expert groups' objections")
def get_queue(request: HttpRequest, cycle: int) -> list[dict[str, Any]]:
    found = visible_cycle(request.user, cycle)
    require(request.user, "objection.queue", found)
    return _many(request.user, queue(found, request.user), found)


def _group_out(group: ExpertGroup) -> dict[str, Any]:
    return {
        "id": group.pk,
        "name": group.name,
        "members": sorted(m.get_username() for m in group.members.all()),
    }


@router.get("/{cycle}/groups", response=list[GroupOut], summary="Expert groups")
def list_groups(request: HttpRequest, cycle: int) -> list[dict[str, Any]]:
    found = visible_cycle(request.user, cycle)
    if not may(request.user, "objection.group", found):
        require(request.user, "objection.queue", found)
    return [_group_out(g) for g in visible_groups(request.user, found)]


@router.post("/{cycle}/groups", response={201: GroupOut}, summary="Create an expert group")
def post_group(request: HttpRequest, cycle: int, payload: GroupIn) -> Status[dict[str, Any]]:
    found = visible_cycle(request.user, cycle)
    require(request.user, "objection.group", found)
    group = group_create(
        actor=request.user,
        cycle=found,
        name=payload.name,
        members=_users(found, payload.members),
        ip=client_ip(request),
    )
    return Status(201, _group_out(group))


@router.put("/{cycle}/groups/{pk}/members", response=GroupOut, summary="Replace the members")
def put_members(request: HttpRequest, cycle: int, pk: int, payload: MembersIn) -> Any:
    found = visible_cycle(request.user, cycle)
    group = group_or_404(request.user, found, pk)
    require(request.user, "objection.group", found)
    changed = group_members(
        actor=request.user,
        group=group,
        members=_users(found, payload.members),
        ip=client_ip(request),
    )
    return _group_out(changed)


def _meeting_out(m: Meeting) -> dict[str, Any]:
    return {
        "id": m.pk,
        "group": m.group_id,
        "held_on": m.held_on,
        "present": sorted(p.get_username() for p in m.present.all()),
        "minutes": m.minutes.name,
        "notes": m.notes,
    }


@router.get("/{cycle}/groups/{pk}/meetings", response=list[MeetingOut], summary="Meetings")
def list_meetings(request: HttpRequest, cycle: int, pk: int) -> list[dict[str, Any]]:
    group = group_or_404(request.user, visible_cycle(request.user, cycle), pk)
    return [_meeting_out(m) for m in group.meetings.all()]


@router.post(
    "/{cycle}/groups/{pk}/meetings",
    response={201: MeetingOut},
    summary="Record a meeting (multipart: held_on, present, minutes, notes)",
)
def post_meeting(
    request: HttpRequest,
    cycle: int,
    pk: int,
    held_on: Form[dt.date],
    present: Form[list[str]],
    minutes: File[UploadedFile],
    notes: Form[str] = "",
) -> Status[dict[str, Any]]:
    group = group_or_404(request.user, visible_cycle(request.user, cycle), pk)
    require(request.user, "objection.meeting", group)
    members = {m.username: m for m in group.members.all()}
    names = [n for item in present for n in item.split(",") if n.strip()]
    strangers = [n for n in names if n.strip() not in members]
    if strangers:
        raise DomainError(
            _("%(names)s are not members of the expert group %(group)s.")
            % {"names": "، ".join(strangers), "group": group.name},
            code="not_members",
        )
    meeting = meeting_record(
        actor=request.user,
        group=group,
        held_on=held_on,
        present=[members[n.strip()] for n in names],
        minutes=minutes,
        notes=notes,
        ip=client_ip(request),
    )
    return Status(201, _meeting_out(meeting))


@router.get("/{cycle}/minutes/{pk}", summary="A meeting's minutes")
def get_minutes(request: HttpRequest, cycle: int, pk: int) -> HttpResponseBase:
    found = visible_cycle(request.user, cycle)
    meeting = get_object_or_404(
        Meeting.objects.select_related("minutes"), pk=pk, group__cycle=found
    )
    group_or_404(request.user, found, meeting.group_id)
    return file_response(meeting.minutes)
