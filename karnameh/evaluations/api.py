"""Evaluator assignment over the API: the same services and selectors as the pages."""

import datetime as dt

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status

from karnameh.accounts.models import EvaluatorScope, User
from karnameh.accounts.throttle import client_ip
from karnameh.common.errors import DomainError
from karnameh.cycles.models import Cycle, Participation
from karnameh.cycles.selectors import visible_cycle

from .models import Assignment
from .selectors import active_assignments, assignable_cycle, queue, queue_evaluator
from .services import assignment_add, assignment_remove, assignments_apply
from .suggest import suggest

router = Router(tags=["evaluations"])


class AssignmentOut(Schema):
    id: int
    agency: str
    participation: int
    evaluator: str
    scope: str
    origin: str
    axes: list[str]
    assigned_at: dt.datetime
    state: str

    @staticmethod
    def resolve_agency(obj: Assignment) -> str:
        return obj.participation.agency.code

    @staticmethod
    def resolve_participation(obj: Assignment) -> int:
        return obj.participation_id

    @staticmethod
    def resolve_evaluator(obj: Assignment) -> str:
        return obj.evaluator.get_username()

    @staticmethod
    def resolve_state(obj: Assignment) -> str:
        return obj.participation.state


class AssignmentIn(Schema):
    model_config = {"extra": "forbid"}

    agency: str
    evaluator: str
    scope: EvaluatorScope
    axes: list[str] = []
    reason: str = ""


class RemoveIn(Schema):
    model_config = {"extra": "forbid"}

    reason: str


class PairOut(Schema):
    agency: str
    evaluator: str


class UnplacedOut(Schema):
    agency: str
    why: str


class SuggestionOut(Schema):
    scope: str
    pairs: list[PairOut]
    unplaced: list[UnplacedOut]


class ApplyIn(Schema):
    model_config = {"extra": "forbid"}

    scope: EvaluatorScope
    pairs: list[PairOut]


class QueueOut(Schema):
    evaluator: str
    ready: int
    total: int
    assignments: list[AssignmentOut]


def _evaluator(username: str) -> User:
    found = User.objects.filter(username=username).first()
    if found is None:
        raise DomainError(
            _("There is no user %(username)s.") % {"username": username}, code="no_such_user"
        )
    return found


def _participation(cycle: Cycle, code: str) -> Participation:
    found = (
        Participation.objects.select_related("cycle", "agency")
        .filter(cycle=cycle, agency__code=code)
        .first()
    )
    if found is None:
        raise DomainError(
            _("%(code)s does not take part in this cycle.") % {"code": code}, code="no_such_agency"
        )
    return found


@router.get("/{cycle}/assignments", response=list[AssignmentOut], summary="Active assignments")
def list_assignments(request: HttpRequest, cycle: int) -> list[Assignment]:
    return list(active_assignments(assignable_cycle(request.user, cycle)))


@router.post("/{cycle}/assignments", response={201: AssignmentOut}, summary="Assign")
def add_assignment(request: HttpRequest, cycle: int, payload: AssignmentIn) -> Status[Assignment]:
    found = assignable_cycle(request.user, cycle)
    assignment = assignment_add(
        actor=request.user,
        participation=_participation(found, payload.agency),
        evaluator=_evaluator(payload.evaluator),
        scope=payload.scope,
        axes=payload.axes,
        reason=payload.reason,
        ip=client_ip(request),
    )
    return Status(201, assignment)


@router.delete("/{cycle}/assignments/{pk}", response=AssignmentOut, summary="Remove (kept)")
def remove_assignment(request: HttpRequest, cycle: int, pk: int, payload: RemoveIn) -> Assignment:
    found = assignable_cycle(request.user, cycle)
    assignment = get_object_or_404(
        Assignment.objects.select_related("participation__agency", "evaluator"),
        pk=pk,
        participation__cycle=found,
    )
    return assignment_remove(
        actor=request.user, assignment=assignment, reason=payload.reason, ip=client_ip(request)
    )


@router.get("/{cycle}/suggestion", response=SuggestionOut, summary="A balanced suggestion")
def get_suggestion(
    request: HttpRequest, cycle: int, scope: EvaluatorScope = EvaluatorScope.GENERAL
) -> dict[str, object]:
    found = suggest(assignable_cycle(request.user, cycle), scope)
    return {
        "scope": scope,
        "pairs": [{"agency": p.agency.code, "evaluator": e.get_username()} for p, e in found.pairs],
        "unplaced": [{"agency": u.participation.agency.code, "why": u.why} for u in found.unplaced],
    }


@router.post(
    "/{cycle}/suggestion/apply",
    response={201: list[AssignmentOut]},
    summary="Apply a suggestion (all or nothing)",
)
def apply_suggestion(
    request: HttpRequest, cycle: int, payload: ApplyIn
) -> Status[list[Assignment]]:
    found = assignable_cycle(request.user, cycle)
    proposal = [
        (_participation(found, pair.agency), _evaluator(pair.evaluator)) for pair in payload.pairs
    ]
    made = assignments_apply(
        actor=request.user,
        cycle=found,
        scope=payload.scope,
        proposal=proposal,
        ip=client_ip(request),
    )
    return Status(201, made)


@router.get("/{cycle}/queue", response=QueueOut, summary="An evaluator's queue and progress")
def get_queue(request: HttpRequest, cycle: int, evaluator: str = "") -> dict[str, object]:
    found = visible_cycle(request.user, cycle)
    whose = queue_evaluator(request.user, found, evaluator or None)
    result = queue(found, whose)
    return {
        "evaluator": whose.get_username(),
        "ready": result.ready,
        "total": result.total,
        "assignments": result.assignments,
    }


# Scoring by evaluators (api_review): mounted here, so /api/v1/evaluations/ keeps one router.
from .api_review import router as review_router  # noqa: E402

router.add_router("", review_router)
