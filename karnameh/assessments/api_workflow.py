"""The API for the self-assessment's workflow: transitions, extensions, the cycle's list.

The same services and checks as the pages (``views_workflow``). A refusal is
``{"detail", "code"}``: 400 bad input, 403 not allowed, 404 not seen, 409 when the
self-assessment moved on meanwhile (stale version, or a state the transition does not start
from).
"""

import datetime as dt
import json
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import ValidationError

from karnameh.accounts.permissions import require
from karnameh.accounts.throttle import client_ip
from karnameh.common.errors import DomainError
from karnameh.cycles.deadlines import TEHRAN
from karnameh.cycles.models import AssessmentState
from karnameh.cycles.selectors import visible_cycle

from .selectors import visible_assessment
from .services import assessment_transition, participation_extend
from .views_workflow import participation_rows
from .workflow import TRANSITIONS

router = Router(tags=["assessments"])

# Codes of refusals that mean "someone else moved it first": reload, then decide again.
_CONFLICTS = frozenset({"stale", "bad_state"})


class StateConflict(DomainError):
    status_code = 409


class TransitionIn(Schema):
    model_config = {"extra": "forbid"}

    version: int | None = None
    reason: str = ""


class TransitionOut(Schema):
    state: str
    version: int
    receipt: str
    replayed: bool = False


class ExtensionIn(Schema):
    model_config = {"extra": "forbid"}

    # ISO 8601; without an offset it is read as Tehran time.
    until: dt.datetime
    reason: str


class ExtensionOut(Schema):
    extended_until: dt.datetime
    reason: str


class ParticipationOut(Schema):
    agency: str
    name: str
    state: str
    version: int
    answered: int
    total: int
    receipt: str
    submitted_at: dt.datetime | None
    transferred_at: dt.datetime | None
    extended_until: dt.datetime | None


class Refusal(Schema):
    detail: str
    code: str


_REFUSALS: dict[int, type[Schema]] = {400: Refusal, 403: Refusal, 404: Refusal, 409: Refusal}

_TRANSITION_BODY = {
    "requestBody": {
        "content": {
            "application/json": {"schema": TransitionIn.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "version": {"type": "integer"},
                        "reason": {"type": "string"},
                        "minutes": {"type": "string", "format": "binary"},
                    },
                }
            },
        }
    }
}


def _body(request: HttpRequest) -> TransitionIn:
    """JSON, or multipart when the minutes of the council travel with it (office_approve)."""
    try:
        if request.content_type == "multipart/form-data":
            data: Any = {k: v for k, v in request.POST.items() if k in {"version", "reason"}}
        else:
            data = json.loads(request.body or b"{}")
        return TransitionIn.model_validate(data)
    except ValidationError as error:
        # Name the fields (an unknown one, a missing one), not pydantic's English summary.
        fields = sorted({".".join(str(part) for part in e["loc"]) for e in error.errors()})
        raise DomainError(
            _("The request is not valid: %(problem)s") % {"problem": "، ".join(fields)},
            code="invalid",
        ) from None
    except ValueError as error:
        raise DomainError(
            _("The request is not valid: %(problem)s") % {"problem": str(error).splitlines()[0]},
            code="invalid",
        ) from None


@router.post(
    "/{cycle}/{agency}/transitions/{name}",
    response={200: TransitionOut, **_REFUSALS},
    summary="Move a self-assessment along the workflow",
    openapi_extra=_TRANSITION_BODY,
)
def transition(request: HttpRequest, cycle: int, agency: str, name: str) -> dict[str, Any]:
    p = visible_assessment(request.user, cycle, agency)
    if name not in TRANSITIONS:
        raise Http404
    payload = _body(request)
    try:
        return assessment_transition(
            actor=request.user,
            participation=p,
            name=name,
            version=payload.version,
            reason=payload.reason,
            minutes=request.FILES.get("minutes"),
            key=request.headers.get("Idempotency-Key") or None,
            ip=client_ip(request),
        )
    except DomainError as error:
        if error.code in _CONFLICTS and error.status_code == 400:
            raise StateConflict(error.message, code=error.code) from None
        raise


@router.post(
    "/{cycle}/{agency}/extension",
    response={200: ExtensionOut, **_REFUSALS},
    summary="Give one agency more time (staff)",
)
def extension(request: HttpRequest, cycle: int, agency: str, payload: ExtensionIn) -> Any:
    p = visible_assessment(request.user, cycle, agency)
    until = payload.until
    if timezone.is_naive(until):
        until = until.replace(tzinfo=TEHRAN)
    done = participation_extend(
        actor=request.user,
        participation=p,
        until=until,
        reason=payload.reason,
        ip=client_ip(request),
    )
    return {"extended_until": done.extended_until, "reason": done.extension_reason}


@router.get(
    "/{cycle}/",
    response={200: list[ParticipationOut], **_REFUSALS},
    summary="Every agency of a cycle and where its self-assessment stands (staff)",
)
def cycle_list(request: HttpRequest, cycle: int, state: str = "") -> list[dict[str, Any]]:
    found = visible_cycle(request.user, cycle)
    require(request.user, "cycle.change", found)
    if state and state not in AssessmentState.values:
        raise DomainError(_("Unknown state “%(state)s”.") % {"state": state[:40]}, code="invalid")
    return [
        {
            "agency": row.participation.agency.code,
            "name": row.participation.agency.name,
            "state": row.participation.state,
            "version": row.participation.version,
            "answered": row.answered,
            "total": row.total,
            "receipt": row.participation.receipt,
            "submitted_at": row.participation.submitted_at,
            "transferred_at": row.participation.transferred_at,
            "extended_until": row.participation.extended_until,
        }
        for row in participation_rows(request.user, found, state)
    ]
