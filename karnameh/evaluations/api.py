"""Evaluator assignment over the API: the same services and selectors as the pages."""

import datetime as dt

from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status

from karnameh.accounts.models import EvaluatorScope, User
from karnameh.accounts.throttle import client_ip
from karnameh.agencies.models import Agency
from karnameh.common.errors import DomainError
from karnameh.cycles.models import Cycle, Participation
from karnameh.cycles.selectors import visible_cycle

from .models import Assignment, ConflictDeclaration
from .selectors import (
    active_assignments,
    assignable_cycle,
    conflict_of_cycle,
    declared_conflicts,
    queue,
    queue_evaluator,
)
from .services import (
    assignment_add,
    assignment_remove,
    assignments_apply,
    conflict_declare,
    conflict_withdraw,
)
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


class PairIn(Schema):
    """A pair of the suggestion sent back to apply it (PairOut, with nothing else)."""

    model_config = {"extra": "forbid"}

    agency: str
    evaluator: str


class ApplyIn(Schema):
    model_config = {"extra": "forbid"}

    scope: EvaluatorScope
    pairs: list[PairIn]


class ConflictOut(Schema):
    id: int
    evaluator: str
    agency: str
    reason: str
    declared_by: str
    declared_at: dt.datetime
    withdrawn_at: dt.datetime | None
    withdrawal_reason: str

    @staticmethod
    def resolve_evaluator(obj: ConflictDeclaration) -> str:
        return obj.evaluator.get_username()

    @staticmethod
    def resolve_agency(obj: ConflictDeclaration) -> str:
        return obj.agency.code

    @staticmethod
    def resolve_declared_by(obj: ConflictDeclaration) -> str:
        return obj.declared_by.get_username()


class ConflictIn(Schema):
    model_config = {"extra": "forbid"}

    evaluator: str
    agency: str
    reason: str


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


@router.get(
    "/{cycle}/conflicts",
    response=list[ConflictOut],
    summary="Declared conflicts of interest (staff: all in the province; an evaluator: own)",
)
def list_conflicts(request: HttpRequest, cycle: int) -> list[ConflictDeclaration]:
    return declared_conflicts(request.user, visible_cycle(request.user, cycle))


@router.post("/{cycle}/conflicts", response={201: ConflictOut}, summary="Declare a conflict")
def declare_conflict(
    request: HttpRequest, cycle: int, payload: ConflictIn
) -> Status[ConflictDeclaration]:
    found = visible_cycle(request.user, cycle)
    agency = Agency.objects.filter(Q(province_id=found.province_id), code=payload.agency).first()
    if agency is None:
        raise DomainError(
            _("There is no agency %(code)s in this province.") % {"code": payload.agency},
            code="no_such_agency",
        )
    declaration = conflict_declare(
        actor=request.user,
        evaluator=_evaluator(payload.evaluator),
        agency=agency,
        reason=payload.reason,
        ip=client_ip(request),
    )
    return Status(201, declaration)


@router.post(
    "/{cycle}/conflicts/{pk}/withdraw",
    response=ConflictOut,
    summary="Withdraw a conflict declared in error (staff; kept, marked withdrawn)",
)
def withdraw_conflict(
    request: HttpRequest, cycle: int, pk: int, payload: RemoveIn
) -> ConflictDeclaration:
    found = visible_cycle(request.user, cycle)
    return conflict_withdraw(
        actor=request.user,
        declaration=conflict_of_cycle(request.user, found, pk),
        reason=payload.reason,
        ip=client_ip(request),
    )


# Scoring by evaluators (api_review): mounted here, so /api/v1/evaluations/ keeps one router.
from .api_review import router as review_router  # noqa: E402

router.add_router("", review_router)
