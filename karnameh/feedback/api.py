import datetime as dt

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from karnameh.accounts.permissions import require
from karnameh.accounts.throttle import client_ip
from karnameh.api.pagination import Pagination
from karnameh.common.errors import DomainError
from karnameh.cycles.selectors import visible_cycles

from .models import SURVEY_QUESTIONS, Feedback, FeedbackKind
from .selectors import author_agencies, filtered, visible_feedback, visible_feedback_item
from .services import feedback_answer, feedback_close, feedback_create

router = Router(tags=["feedback"])


class FeedbackOut(Schema):
    tracking_number: str
    kind: str
    status: str
    agency: str
    author: str
    cycle: int | None
    subject: str
    body: str
    ratings: dict[str, int]
    answer: str
    answered_by: str | None
    answered_at: dt.datetime | None
    created_at: dt.datetime

    @staticmethod
    def resolve_agency(obj: Feedback) -> str:
        return obj.agency.code

    @staticmethod
    def resolve_author(obj: Feedback) -> str:
        return obj.author.get_username()

    @staticmethod
    def resolve_cycle(obj: Feedback) -> int | None:
        return obj.cycle_id

    @staticmethod
    def resolve_answered_by(obj: Feedback) -> str | None:
        return obj.answered_by.get_username() if obj.answered_by else None


class FeedbackIn(Schema):
    model_config = {"extra": "forbid"}

    kind: FeedbackKind
    # The agency's code; may be left out by a user who writes for one agency only.
    agency: str | None = None
    cycle: int | None = None
    subject: str
    body: str = ""
    # Question key -> 1..5, for a survey (see GET /feedback/questions).
    ratings: dict[str, int] | None = None


class AnswerIn(Schema):
    model_config = {"extra": "forbid"}

    answer: str


class QuestionOut(Schema):
    key: str
    label: str


@router.get("/questions", response=list[QuestionOut], summary="The survey's questions (1 to 5)")
def questions(request: HttpRequest) -> list[dict[str, str]]:
    return [{"key": key, "label": str(label)} for key, label in SURVEY_QUESTIONS]


@router.get("/", response=list[FeedbackOut], summary="Feedback the caller may see")
@paginate(Pagination)
def list_feedback(request: HttpRequest, kind: str = "", status: str = "") -> object:
    require(request.user, "feedback.list")
    return filtered(visible_feedback(request.user), kind=kind, status=status)


@router.post("/", response={201: FeedbackOut}, summary="Send a survey, complaint or suggestion")
def create_feedback(request: HttpRequest, payload: FeedbackIn) -> Status[Feedback]:
    require(request.user, "feedback.create")
    agencies = author_agencies(request.user)
    if payload.agency is not None:
        agency = get_object_or_404(agencies, code=payload.agency)
    else:
        mine = list(agencies[:2])
        if len(mine) != 1:
            raise DomainError(_("Name the agency you write for."), code="agency_required")
        agency = mine[0]
    cycle = None
    if payload.cycle is not None:
        cycle = get_object_or_404(visible_cycles(request.user), pk=payload.cycle)
    feedback = feedback_create(
        actor=request.user,
        kind=payload.kind,
        agency=agency,
        subject=payload.subject,
        body=payload.body,
        ratings=payload.ratings,
        cycle=cycle,
        ip=client_ip(request),
    )
    return Status(201, feedback)


@router.get("/{number}", response=FeedbackOut, summary="One piece of feedback by tracking number")
def get_feedback(request: HttpRequest, number: str) -> Feedback:
    return visible_feedback_item(request.user, number)


@router.post("/{number}/answer", response=FeedbackOut, summary="Answer (staff of the province)")
def answer_feedback(request: HttpRequest, number: str, payload: AnswerIn) -> Feedback:
    feedback = visible_feedback_item(request.user, number)
    return feedback_answer(
        actor=request.user, feedback=feedback, answer=payload.answer, ip=client_ip(request)
    )


@router.post("/{number}/close", response=FeedbackOut, summary="Close")
def close_feedback(request: HttpRequest, number: str) -> Feedback:
    feedback = visible_feedback_item(request.user, number)
    return feedback_close(actor=request.user, feedback=feedback, ip=client_ip(request))
