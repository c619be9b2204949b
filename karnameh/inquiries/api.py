"""Inquiries over the API: the same services and selectors as the pages.

Another system (e.g. «ستاد» or «سادا») answers with an API token of one of the body's users
(``accounts.tokens``): ``POST /api/v1/inquiries/{id}/answer`` with one answer per gauge, in
the form of ``assessments.Answer.data``; ``PUT`` the same path to correct it, with a reason.
"""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Header, Router, Schema
from ninja.responses import Status

from karnameh.accounts.permissions import may, require
from karnameh.accounts.throttle import client_ip
from karnameh.cycles.selectors import visible_cycle

from .models import How, Inquiry, State
from .selectors import inquiry_gauges, visible_inquiries, visible_inquiry
from .services import inquiries_send, inquiry_answer, inquiry_correct

router = Router(tags=["inquiries"])


class GaugeOut(Schema):
    code: str
    title: str
    max_score: str
    kind: str
    rule: list[str]


class InquiryOut(Schema):
    id: int
    cycle: int
    cycle_title: str
    agency: str
    agency_name: str
    topic: str
    topic_title: str
    body: str
    mode: str
    link: str
    gauges: list[GaugeOut]
    state: str
    sent_at: dt.datetime
    due_at: dt.datetime
    overdue: bool
    days_late: int
    reminders: int
    version: int
    answered_at: dt.datetime | None
    how: str
    # Only for those who may see the answers (the embargo: ``rules.sees_answer``).
    answer: dict[str, Any] | None
    scores: dict[str, str] | None


class AnswerIn(Schema):
    model_config = {"extra": "forbid"}

    answers: dict[str, dict[str, Any]]
    reference: str = ""


class CorrectionIn(AnswerIn):
    version: int
    reason: str


class SavedOut(Schema):
    inquiry: int
    state: str
    version: int
    scores: dict[str, str]
    how: str
    changed: bool
    answered_at: str | None
    replayed: bool = False


def _out(request: HttpRequest, inquiry: Inquiry, now: dt.datetime) -> dict[str, Any]:
    shown = may(request.user, "inquiry.answers", inquiry)
    return {
        "id": inquiry.pk,
        "cycle": inquiry.cycle_id,
        "cycle_title": inquiry.cycle.title,
        "agency": inquiry.participation.agency.code,
        "agency_name": inquiry.participation.agency.name,
        "topic": inquiry.topic.code,
        "topic_title": inquiry.topic.title,
        "body": inquiry.topic.body.code,
        "mode": inquiry.topic.mode,
        "link": inquiry.topic.link,
        "gauges": [
            {
                "code": gauge.code,
                "title": gauge.title,
                "max_score": str(gauge.max_score),
                "kind": gauge.rule.kind,
                "rule": gauge.rule.describe(),
            }
            for _indicator, gauge in inquiry_gauges(inquiry)
        ],
        "state": inquiry.state,
        "sent_at": inquiry.sent_at,
        "due_at": inquiry.due_at,
        "overdue": inquiry.is_overdue(now),
        "days_late": inquiry.days_late(now),
        "reminders": inquiry.reminders,
        "version": inquiry.version,
        "answered_at": inquiry.answered_at,
        "how": inquiry.how,
        "answer": inquiry.answer if shown and inquiry.state == State.ANSWERED else None,
        "scores": inquiry.scores if shown and inquiry.state == State.ANSWERED else None,
    }


@router.get("/", response=list[InquiryOut], summary="Inquiries the caller may see")
def list_inquiries(
    request: HttpRequest, cycle: int | None = None, state: str = "", overdue: bool = False
) -> list[dict[str, Any]]:
    """A body's users get their body's inquiries; staff their province's; evaluators those of
    their agencies. Filter by ``cycle``, ``state`` (sent, answered) or ``overdue``."""
    require(request.user, "inquiry.list")
    now = timezone.now()
    queryset = visible_inquiries(request.user)
    if cycle is not None:
        queryset = queryset.filter(cycle_id=cycle)
    if state in State.values:
        queryset = queryset.filter(state=state)
    if overdue:
        queryset = queryset.filter(state=State.SENT, due_at__lte=now)
    rows = queryset.select_related("cycle__general_catalogue").order_by("due_at", "pk")
    return [_out(request, inquiry, now) for inquiry in rows]


@router.get("/{pk}", response=InquiryOut, summary="One inquiry, its gauges and its answer")
def get_inquiry(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _out(request, visible_inquiry(request.user, pk), timezone.now())


@router.post(
    "/{pk}/answer",
    response={201: SavedOut},
    summary="Answer electronically (a retried Idempotency-Key is applied once)",
)
def answer(
    request: HttpRequest,
    pk: int,
    payload: AnswerIn,
    key: str | None = Header(None, alias="Idempotency-Key"),
) -> Status[dict[str, Any]]:
    inquiry = visible_inquiry(request.user, pk)
    require(request.user, "inquiry.respond", inquiry)
    saved = inquiry_answer(
        actor=request.user,
        inquiry=inquiry,
        answers=payload.answers,
        how=How.API,
        reference=payload.reference,
        key=key,
        ip=client_ip(request),
    )
    return Status(201, saved)


@router.put("/{pk}/answer", response=SavedOut, summary="Correct the answer, with a reason")
def correct(
    request: HttpRequest,
    pk: int,
    payload: CorrectionIn,
    key: str | None = Header(None, alias="Idempotency-Key"),
) -> dict[str, Any]:
    inquiry = visible_inquiry(request.user, pk)
    require(request.user, "inquiry.respond", inquiry)
    return inquiry_correct(
        actor=request.user,
        inquiry=inquiry,
        answers=payload.answers,
        version=payload.version,
        reason=payload.reason,
        how=How.API,
        reference=payload.reference,
        key=key,
        ip=client_ip(request),
    )


@router.post(
    "/cycles/{cycle}/send",
    response={201: list[InquiryOut]},
    summary="Send a cycle's inquiries (only what is missing)",
)
def send(request: HttpRequest, cycle: int) -> Status[list[dict[str, Any]]]:
    found = visible_cycle(request.user, cycle)
    require(request.user, "inquiry.manage", found)
    made = inquiries_send(actor=request.user, cycle=found, ip=client_ip(request))
    now = timezone.now()
    fresh = visible_inquiries(request.user).filter(pk__in=[i.pk for i in made])
    return Status(201, [_out(request, inquiry, now) for inquiry in fresh.order_by("pk")])
