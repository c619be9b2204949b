"""The province report (step 11) as a page, a PDF and an API answer: one selector for all.

Who reads it: ``reports.province`` (reports/rules.py). Before the deputy's final approval the
page says why there is nothing to read, the PDF link leads back to that page, and the API
answers 409 with the same sentence.
"""

import io
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from ninja import Router, Schema

from karnameh.common.errors import DomainError
from karnameh.common.replica import replica_reads
from karnameh.common.text import persian_digits
from karnameh.files.responses import content_disposition

from .province import (
    ProvinceReport,
    Spread,
    not_fixed_message,
    province_cycle,
    province_report,
)

router = Router(tags=["reports"])


def _context(report: ProvinceReport) -> dict[str, Any]:
    cycle = report.cycle
    return {
        "cycle": cycle,
        "report": report,
        "chart": spread_chart(report.spreads) if report.fixed else "",
        "not_fixed": "" if report.fixed else not_fixed_message(),
        "title": cycle.title,
        "header_title": f"{cycle.province.name if cycle.province else ''} – "
        f"{persian_digits(cycle.year)}",
    }


def spread_chart(rows: list[Spread]) -> str:
    """One box plot of every axis (percent of the axis maximum), as an SVG data URI.

    Drawn right to left like ``charts.percent_bars``: the scale grows leftwards, the axis
    titles sit on the right, the first axis on top. Empty when no agency has a result.
    """
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    from karnameh.common.text import persian_digits

    from .charts import data_uri, font_family

    shown = [s for s in rows if s.values]
    if not shown:
        return ""
    family = font_family()
    # A figure of its own: charts' shared figure has a fixed shape and its own lock.
    fig = Figure(figsize=(7.2, 0.5 * len(shown) + 1.0), dpi=100)
    ax = fig.add_subplot(1, 1, 1)
    ax.boxplot(
        [[float(v) for v in s.values] for s in shown],
        orientation="horizontal",
        widths=0.55,
        showmeans=True,
        patch_artist=True,
        boxprops={"facecolor": "#cfe0f1", "edgecolor": "#1f5f9e"},
        medianprops={"color": "#1f5f9e", "linewidth": 1.6},
        meanprops={"marker": "D", "markerfacecolor": "#e0a030", "markeredgecolor": "#e0a030"},
    )
    ax.set_yticks(range(1, len(shown) + 1))
    ax.set_yticklabels([s.title or s.code for s in shown], fontfamily=family, fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.xaxis.set_major_formatter(
        FuncFormatter(lambda v, _p: persian_digits(f"{v:g}".replace(".", "٫")))
    )
    for tick in ax.get_xticklabels():
        tick.set_fontfamily(family)
    ax.invert_xaxis()
    ax.yaxis.tick_right()
    ax.grid(axis="x", color="#ddd", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "left"):
        ax.spines[side].set_visible(False)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    return data_uri(buffer.getvalue(), "svg")


@login_required
@replica_reads
def province_view(request: HttpRequest, cycle: int) -> HttpResponse:
    report = province_report(province_cycle(request.user, cycle))
    return render(request, "reports/province.html", _context(report))


@login_required
@replica_reads
def province_pdf_view(request: HttpRequest, cycle: int) -> HttpResponse:
    found = province_cycle(request.user, cycle)
    report = province_report(found)
    if not report.fixed:
        messages.error(request, not_fixed_message())
        return redirect("reports:province", cycle=found.pk)
    from .pdf import render_pdf

    pdf = render_pdf("reports/province_pdf.html", _context(report), request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"گزارش استانی {found.province.name if found.province else ''} {found.year}.pdf"
    response["Content-Disposition"] = content_disposition("attachment", persian_digits(name))
    response["Cache-Control"] = "private, no-store"
    return response


# --- the API ---------------------------------------------------------------------------------


class NotFixed(DomainError):
    status_code = 409


class TypeCountOut(Schema):
    agency_type: str
    taking_part: int
    transferred: int
    on_time: int


class TurnoutOut(Schema):
    taking_part: int
    transferred: int
    on_time: int
    by_type: list[TypeCountOut]


class SpreadOut(Schema):
    code: str
    title: str
    agencies: int
    mean: Decimal | None
    median: Decimal | None
    min: Decimal | None
    max: Decimal | None


class StandingOut(Schema):
    rank: int
    peer_rank: int
    peer_size: int
    tied: bool
    agency: str
    name: str
    agency_type: str
    general: Decimal
    general_max: Decimal
    specific: Decimal | None
    specific_max: Decimal | None
    final: Decimal
    previous: Decimal | None
    change: Decimal | None


class PeerGroupOut(Schema):
    agency_type: str
    agencies: list[str]


class AgencyObjectionsOut(Schema):
    agency: str
    filed: int
    accepted: int
    rejected: int
    points: Decimal


class ObjectionsOut(Schema):
    filed: int
    online: int
    in_person: int
    accepted: int
    rejected: int
    withdrawn: int
    open: int
    points: Decimal
    by_agency: list[AgencyObjectionsOut]


class BodyInquiriesOut(Schema):
    body: str
    name: str
    sent: int
    on_time: int
    late: int
    overdue: int
    waiting: int


class ConvergenceOut(Schema):
    agency: str
    self_total: Decimal
    final: Decimal
    gap: Decimal
    gauge_score: Decimal | None
    gauge_max: Decimal | None


class WeakGaugeOut(Schema):
    code: str
    title: str
    axis: str
    indicator: str
    average: Decimal
    agencies: int
    under_half: int
    summary: str


class WeakIndicatorOut(Schema):
    code: str
    title: str
    average: Decimal


class AxisWeaknessOut(Schema):
    code: str
    title: str
    indicators: list[WeakIndicatorOut]


class ProvinceReportOut(Schema):
    cycle: int
    year: int
    province: str
    released: bool
    turnout: TurnoutOut
    axes: list[SpreadOut]
    ranking: list[StandingOut]
    peer_groups: list[PeerGroupOut]
    objections: ObjectionsOut
    inquiries: list[BodyInquiriesOut]
    convergence: list[ConvergenceOut]
    weak_gauges: list[WeakGaugeOut]
    weak_indicators: list[AxisWeaknessOut]


def as_data(report: ProvinceReport) -> dict[str, Any]:
    """The report as the API's plain values (codes for agencies, bodies and types)."""
    cycle = report.cycle
    turnout, objections, pathology = report.turnout, report.objections, report.pathology
    assert turnout is not None and objections is not None and pathology is not None
    return {
        "cycle": cycle.pk,
        "year": cycle.year,
        "province": cycle.province.name if cycle.province else "",
        "released": report.released,
        "turnout": {
            "taking_part": turnout.taking_part,
            "transferred": turnout.transferred,
            "on_time": turnout.on_time,
            "by_type": [
                {
                    "agency_type": row.agency_type.code,
                    "taking_part": row.taking_part,
                    "transferred": row.transferred,
                    "on_time": row.on_time,
                }
                for row in turnout.rows
            ],
        },
        "axes": [
            {
                "code": s.code,
                "title": s.title,
                "agencies": len(s.values),
                "mean": s.mean,
                "median": s.median,
                "min": s.low,
                "max": s.high,
            }
            for s in report.spreads
        ],
        "ranking": [
            {
                "rank": s.rank,
                "peer_rank": s.peer_rank,
                "peer_size": s.peer_size,
                "tied": s.tied,
                "agency": s.agency.code,
                "name": s.agency.name,
                "agency_type": s.agency.agency_type.code,
                "general": s.result.general,
                "general_max": s.result.general_max,
                "specific": s.result.specific,
                "specific_max": s.result.specific_max,
                "final": s.result.final,
                "previous": s.previous.final if s.previous else None,
                "change": s.change,
            }
            for s in report.standings
        ],
        "peer_groups": [
            {"agency_type": kind.code, "agencies": [s.agency.code for s in members]}
            for kind, members in report.groups
        ],
        "objections": {
            "filed": objections.filed,
            "online": objections.online,
            "in_person": objections.in_person,
            "accepted": objections.accepted,
            "rejected": objections.rejected,
            "withdrawn": objections.withdrawn,
            "open": objections.open,
            "points": objections.points,
            "by_agency": [
                {
                    "agency": row.agency.code,
                    "filed": row.filed,
                    "accepted": row.accepted,
                    "rejected": row.rejected,
                    "points": row.points,
                }
                for row in objections.by_agency
            ],
        },
        "inquiries": [
            {
                "body": row.body.code,
                "name": row.body.name,
                "sent": row.sent,
                "on_time": row.on_time,
                "late": row.late,
                "overdue": row.overdue,
                "waiting": row.waiting,
            }
            for row in report.inquiries
        ],
        "convergence": [
            {
                "agency": row.agency.code,
                "self_total": row.self_total,
                "final": row.final,
                "gap": row.gap,
                "gauge_score": row.gauge_score,
                "gauge_max": row.gauge_max,
            }
            for row in report.convergence
        ],
        "weak_gauges": [
            {
                "code": g.code,
                "title": g.title,
                "axis": g.axis,
                "indicator": g.indicator,
                "average": g.average,
                "agencies": g.counted,
                "under_half": g.under_half,
                "summary": g.summary,
            }
            for g in pathology.gauges
        ],
        "weak_indicators": [
            {
                "code": a.code,
                "title": a.title,
                "indicators": [
                    {"code": i.code, "title": i.title, "average": i.average} for i in a.indicators
                ],
            }
            for a in pathology.axes
        ],
    }


@router.get(
    "/{cycle}/province",
    response=ProvinceReportOut,
    summary="The province report (step 11): participation, axes, ranking, objections, "
    "inquiries, convergence and the weakest gauges",
)
@replica_reads
def get_province(request: HttpRequest, cycle: int) -> dict[str, Any]:
    report = province_report(province_cycle(request.user, cycle))
    if not report.fixed:
        raise NotFixed(not_fixed_message(), code="results_not_fixed")
    return as_data(report)
