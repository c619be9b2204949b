"""The dashboards over the API: the same selectors, builders and permission checks as the pages.

Times are UTC (ISO 8601), dates of the calendar are Tehran days; no evaluation score is in an
answer before the results are released (``result`` is null until then).
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from karnameh.results.models import Stage

from .agency import AgencyDashboard, agency_dashboard
from .selectors import dashboard_cycle, dashboard_participation
from .staff import StaffDashboard, staff_dashboard

router = Router(tags=["dashboards"])


class StepOut(Schema):
    number: int
    title: str
    role: str
    planned_start: dt.date
    planned_end: dt.date
    actual_start: dt.datetime | None
    actual_end: dt.datetime | None
    current: bool
    overdue: bool
    done: int | None = None
    total: int | None = None


class StateCountOut(Schema):
    state: str
    label: str
    agencies: int


class LaggingOut(Schema):
    agency: str
    name: str
    state: str
    extended_until: dt.datetime | None


class InquiryCountsOut(Schema):
    sent: int
    answered: int
    overdue: int


class OverdueOut(Schema):
    id: int
    topic: str
    body: str
    agency: str
    due_at: dt.datetime
    days_late: int


class OverdueTopicOut(Schema):
    topic: str
    body: str
    agencies: list[str]
    days_late: int


class ObjectionOut(Schema):
    id: int
    agency: str
    part: str
    gauge: str
    state: str
    filed_at: dt.datetime
    decided_at: dt.datetime | None
    group: str | None


class EvaluatorOut(Schema):
    username: str
    name: str
    agencies: int
    assignments: int
    reviewed: int
    total: int
    approved: int


class CycleDashboardOut(Schema):
    cycle: int
    title: str
    released: bool
    deputy_approved: bool
    council_approved: bool
    participants: int
    steps: list[StepOut]
    states: list[StateCountOut]
    not_transferred: list[LaggingOut]
    inquiries: InquiryCountsOut
    overdue_inquiries: list[OverdueOut]
    overdue_by_topic: list[OverdueTopicOut]
    objections: dict[str, int]
    open_objections: list[ObjectionOut]
    evaluators: list[EvaluatorOut]


class MilestoneOut(Schema):
    key: str
    at: dt.datetime | None
    by: str | None


class EvaluatorProgressOut(Schema):
    scope: str
    origin: str
    reviewed: int
    total: int
    approved: bool


class AxisOut(Schema):
    part: str
    code: str
    title: str
    score: float
    max: float
    self: float


class ResultOut(Schema):
    final: Decimal
    general: Decimal
    general_max: Decimal
    specific: Decimal | None
    specific_max: Decimal | None
    self_total: Decimal
    rank: int
    ranked: int
    peer_rank: int
    peer_size: int
    tied: bool
    change: Decimal | None
    axes: list[AxisOut]


class AgencyDashboardOut(Schema):
    cycle: int
    agency: str
    name: str
    state: str
    receipt: str
    return_note: str
    entry_closes: dt.datetime | None
    entry_extended: bool
    transfer_closes: dt.datetime | None
    steps: list[StepOut]
    milestones: list[MilestoneOut]
    evaluators: list[EvaluatorProgressOut]
    inquiries: InquiryCountsOut
    objections: list[ObjectionOut]
    released: bool
    result: ResultOut | None


def _steps(rows: list[Any]) -> list[dict[str, Any]]:
    out = []
    for item in rows:
        row = getattr(item, "row", item)  # a StepProgress, or a bare CalendarRow
        step = row.step
        out.append(
            {
                "number": step.number,
                "title": str(row.title),
                "role": row.role,
                "planned_start": step.planned_start,
                "planned_end": step.planned_end,
                "actual_start": step.actual_start,
                "actual_end": step.actual_end,
                "current": row.current,
                "overdue": row.overdue,
                "done": getattr(item, "done", None),
                "total": getattr(item, "total", None),
            }
        )
    return out


def _objection(o: Any) -> dict[str, Any]:
    return {
        "id": o.pk,
        "agency": o.participation.agency.code,
        "part": o.part,
        "gauge": o.gauge_code,
        "state": o.state,
        "filed_at": o.filed_at,
        "decided_at": o.decided_at,
        "group": o.group.name if o.group_id else None,
    }


def cycle_body(board: StaffDashboard) -> dict[str, Any]:
    return {
        "cycle": board.cycle.pk,
        "title": board.cycle.title,
        "released": board.released,
        "deputy_approved": Stage.DEPUTY in board.approvals,
        "council_approved": Stage.COUNCIL in board.approvals,
        "participants": board.participants,
        "steps": _steps(board.steps),
        "states": [{"state": s, "label": label, "agencies": n} for s, label, n in board.states],
        "not_transferred": [
            {
                "agency": p.agency.code,
                "name": p.agency.name,
                "state": p.state,
                "extended_until": p.extended_until,
            }
            for p in board.lagging
        ],
        "inquiries": board.inquiries,
        "overdue_inquiries": [
            {
                "id": i.pk,
                "topic": i.topic.code,
                "body": i.topic.body.code,
                "agency": i.participation.agency.code,
                "due_at": i.due_at,
                "days_late": i.days_late(board.now),
            }
            for i in board.overdue
        ],
        "overdue_by_topic": [
            {
                "topic": t.topic.code,
                "body": t.topic.body.code,
                "agencies": [i.participation.agency.code for i in t.inquiries],
                "days_late": t.days_late,
            }
            for t in board.overdue_topics
        ],
        "objections": board.objections,
        "open_objections": [_objection(o) for o in board.open_objections],
        "evaluators": [
            {
                "username": q.evaluator.get_username(),
                "name": q.evaluator.display_name,
                "agencies": len(q.agencies),
                "assignments": q.assignments,
                "reviewed": q.reviewed,
                "total": q.total,
                "approved": q.approved,
            }
            for q in board.evaluators
        ],
    }


def _result(board: AgencyDashboard) -> dict[str, Any] | None:
    s = board.standing
    if s is None:
        return None
    r = s.result
    return {
        "final": r.final,
        "general": r.general,
        "general_max": r.general_max,
        "specific": r.specific,
        "specific_max": r.specific_max,
        "self_total": r.self_total,
        "rank": s.rank,
        "ranked": board.ranked,
        "peer_rank": s.peer_rank,
        "peer_size": s.peer_size,
        "tied": s.tied,
        "change": s.change,
        "axes": board.axes,
    }


def agency_body(board: AgencyDashboard) -> dict[str, Any]:
    p = board.participation
    return {
        "cycle": p.cycle_id,
        "agency": p.agency.code,
        "name": p.agency.name,
        "state": p.state,
        "receipt": p.receipt,
        "return_note": p.return_note,
        "entry_closes": board.entry.closes,
        "entry_extended": board.entry.extended,
        "transfer_closes": board.transfer.closes,
        "steps": _steps(board.steps),
        "milestones": [
            {"key": m.key, "at": m.at, "by": m.by.get_username() if m.by else None}
            for m in board.milestones
        ],
        "evaluators": [vars(e) for e in board.evaluators],
        "inquiries": board.inquiries,
        "objections": [_objection(o) for o in board.objections],
        "released": board.released,
        "result": _result(board),
    }


@router.get(
    "/{cycle}", response=CycleDashboardOut, summary="The cycle's dashboard (the organization's)"
)
def get_cycle(request: HttpRequest, cycle: int) -> dict[str, Any]:
    found = dashboard_cycle(request.user, cycle)
    return cycle_body(staff_dashboard(request.user, found))


@router.get(
    "/{cycle}/agency/{agency}",
    response=AgencyDashboardOut,
    summary="An agency's dashboard: its progress, and its results once released",
)
def get_agency(request: HttpRequest, cycle: int, agency: str) -> dict[str, Any]:
    return agency_body(agency_dashboard(dashboard_participation(request.user, cycle, agency)))
