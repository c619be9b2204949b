"""The public portal (دولت‌سنج): published results only, no sign-in.

The same selectors and cache as the pages; a cycle whose results are not released is 404
to everyone, signed in or not.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from karnameh.common.replica import replica_reads
from karnameh.common.text import normalize_input

from .cache import generation, remembered
from .selectors import (
    Row,
    axis_lines,
    board,
    portal_cycle,
    released_cycles,
    years,
)

router = Router(tags=["portal"])
QUERY_LENGTH = 100


class CycleOut(Schema):
    id: int
    year: int
    level: str
    province: str | None
    title: str
    released_at: dt.datetime
    agencies: int


class RowOut(Schema):
    rank: int
    tied: bool
    peer_rank: int
    peer_tied: bool
    peer_size: int
    agency: str
    name: str
    agency_type: str
    final: Decimal
    general: Decimal
    general_max: Decimal
    specific: Decimal | None
    specific_max: Decimal | None
    previous: Decimal | None
    change: Decimal | None


class GroupOut(Schema):
    agency_type: str
    agencies: list[str]


class RankingOut(Schema):
    cycle: CycleOut
    ranking: list[RowOut]
    groups: list[GroupOut]


class AxisOut(Schema):
    part: str
    code: str
    title: str
    score: Decimal
    max: Decimal
    percent: Decimal
    peer_average: Decimal | None


class YearAxisOut(Schema):
    part: str
    code: str
    score: Decimal


class YearOut(Schema):
    cycle: int
    year: int
    final: Decimal
    axes: list[YearAxisOut]


class AgencyOut(Schema):
    cycle: CycleOut
    standing: RowOut
    axes: list[AxisOut]
    years: list[YearOut]


def _cycle(cycle: Any, agencies: int | None = None) -> dict[str, Any]:
    return {
        "id": cycle.pk,
        "year": cycle.year,
        "level": cycle.level,
        "province": cycle.province.name if cycle.province else None,
        "title": cycle.title,
        "released_at": cycle.release.released_at,
        "agencies": getattr(cycle, "agencies", agencies),
    }


def _row(row: Row) -> dict[str, Any]:
    return {
        "rank": row.rank,
        "tied": row.tied,
        "peer_rank": row.peer_rank,
        "peer_tied": row.peer_tied,
        "peer_size": row.peer_size,
        "agency": row.code,
        "name": row.name,
        "agency_type": row.agency_type,
        "final": row.final,
        "general": row.general,
        "general_max": row.general_max,
        "specific": row.specific,
        "specific_max": row.specific_max,
        "previous": row.previous,
        "change": row.change,
    }


@router.get("/cycles", response=list[CycleOut], auth=None, summary="Cycles with published results")
@replica_reads
def get_cycles(request: HttpRequest) -> list[dict[str, Any]]:
    return [_cycle(c) for c in released_cycles()]


@router.get(
    "/{cycle}",
    response=RankingOut,
    auth=None,
    summary="The published ranking, overall and per agency type (q: search by name)",
)
@replica_reads
def get_ranking(request: HttpRequest, cycle: int, q: str = "") -> dict[str, Any]:
    found = portal_cycle(cycle)
    gen = generation()
    full = remembered(gen, f"board:{found.pk}", lambda: board(found))
    shown = full.matching(normalize_input(q)[:QUERY_LENGTH])
    return {
        "cycle": _cycle(found, len(full.rows)),
        "ranking": [_row(r) for r in shown.rows],
        "groups": [
            {"agency_type": name, "agencies": [r.code for r in rows]} for name, rows in shown.groups
        ],
    }


@router.get(
    "/{cycle}/{agency}",
    response=AgencyOut,
    auth=None,
    summary="An agency's published result: ranks, axes and every released year",
)
@replica_reads
def get_agency(request: HttpRequest, cycle: int, agency: str) -> dict[str, Any]:
    found = portal_cycle(cycle)
    gen = generation()
    full = remembered(gen, f"board:{found.pk}", lambda: board(found))
    row = full.row(agency)
    return {
        "cycle": _cycle(found, len(full.rows)),
        "standing": _row(row),
        "axes": [
            {
                "part": line.axis.part,
                "code": line.axis.code,
                "title": line.axis.title,
                "score": line.axis.score,
                "max": line.axis.max,
                "percent": line.axis.percent,
                "peer_average": line.peer_average,
            }
            for line in axis_lines(row, full.peers(row))
        ],
        "years": [
            {
                "cycle": y.cycle,
                "year": y.year,
                "final": y.final,
                "axes": [
                    {"part": part, "code": code, "score": score}
                    for (part, code), score in y.axes.items()
                ],
            }
            for y in years(found, row.code)
        ],
    }
