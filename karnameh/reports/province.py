"""The province report (step 11): what the steering council reads once the scores are fixed.

Everything comes from rows written when the deputy's final approval fixed the results
(``results.Result`` with its ``axes`` and ``gauges``), the participations, objections and
inquiries of the cycle: nothing is rescored, so the report costs the same number of queries
for two agencies as for a hundred, and says exactly what the approval fixed.

Percentages are of each agency's own maximum (weights per agency type change the maxima), so
agencies of different types compare. A gauge an agency was not applicable to counts for no one:
it is left out of that gauge's average and of its count of agencies under half.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from karnameh.common.templatetags.fa import fa
from karnameh.cycles.deadlines import deadline
from karnameh.cycles.models import AssessmentState, Cycle, Participation
from karnameh.cycles.steps import TRANSFER
from karnameh.evaluations.final import CONVERGENCE
from karnameh.inquiries.models import Inquiry
from karnameh.inquiries.models import State as InquiryState
from karnameh.objections.models import Objection, ObjectionState
from karnameh.results.locks import is_released, scores_locked
from karnameh.results.models import Result
from karnameh.results.ranking import Standing, by_peer_group, standings
from karnameh.scoring.engine import NOT_APPLICABLE

GENERAL = "general"
HUNDRED = Decimal(100)
HALF = Decimal(50)
TENTH = Decimal("0.1")
# How many of the province's weakest gauges the analytic part names, and indicators per axis.
WEAK_GAUGES = 10
WEAK_INDICATORS = 3


def number(value: Any) -> Decimal:
    """A JSON number (int or float, as ``written`` stores it) as an exact Decimal."""
    return Decimal(str(value))


def rounded(value: Decimal) -> Decimal:
    return value.quantize(TENTH, rounding=ROUND_HALF_UP)


def share(score: Any, top: Any) -> Decimal | None:
    """Score as a percent of its maximum, one decimal; None when there is no maximum."""
    top = number(top)
    if not top:
        return None
    return rounded(number(score) * HUNDRED / top)


# --- participation -------------------------------------------------------------------------


@dataclass
class TypeCount:
    agency_type: Any
    taking_part: int = 0
    transferred: int = 0
    on_time: int = 0


@dataclass
class Turnout:
    rows: list[TypeCount]
    taking_part: int
    transferred: int
    on_time: int


def turnout(participations: list[Participation]) -> Turnout:
    """Agencies taking part by type; how many transferred their self-assessment, and on time.

    On time: transferred before step 7 closed for that agency, an extension granted to it
    counting (``cycles.deadlines.deadline``), as its own deadline said.
    """
    rows: dict[int, TypeCount] = {}
    for p in participations:
        kind = p.agency.agency_type
        row = rows.setdefault(kind.pk, TypeCount(kind))
        row.taking_part += 1
        if p.state == AssessmentState.TRANSFERRED:
            row.transferred += 1
            closes = deadline(p, TRANSFER).closes
            if p.transferred_at and (closes is None or p.transferred_at < closes):
                row.on_time += 1
    ordered = sorted(rows.values(), key=lambda r: r.agency_type.name)
    return Turnout(
        rows=ordered,
        taking_part=sum(r.taking_part for r in ordered),
        transferred=sum(r.transferred for r in ordered),
        on_time=sum(r.on_time for r in ordered),
    )


# --- distributions per axis ----------------------------------------------------------------


@dataclass
class Spread:
    """One axis of the general catalogue across the province's agencies (percent of max)."""

    code: str
    title: str
    values: list[Decimal]  # one per agency, in no particular order
    mean: Decimal | None = None
    median: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None


def spread(code: str, title: str, values: list[Decimal]) -> Spread:
    if not values:
        return Spread(code, title, values)
    return Spread(
        code,
        title,
        values,
        mean=rounded(sum(values, Decimal(0)) / len(values)),
        median=rounded(number(statistics.median(values))),
        low=min(values),
        high=max(values),
    )


def spreads(results: list[Result]) -> list[Spread]:
    values: dict[str, list[Decimal]] = {}
    titles: dict[str, str] = {}
    for result in results:
        for axis in result.axes:
            if axis["part"] != GENERAL:
                continue
            titles[axis["code"]] = axis["title"]
            found = share(axis["score"], axis["max"])
            if found is not None:
                values.setdefault(axis["code"], []).append(found)
    return [
        spread(code, titles[code], values.get(code, [])) for code in sorted(titles, key=code_key)
    ]


def code_key(code: str) -> tuple[Any, ...]:
    """«2.10.1» after «2.9.1»: catalogue codes sort by their numbers."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in code.split("."))


# --- objections ----------------------------------------------------------------------------


@dataclass
class AgencyObjections:
    agency: Any
    filed: int = 0
    accepted: int = 0
    rejected: int = 0
    points: Decimal = Decimal(0)  # gauge points gained by accepted objections


@dataclass
class ObjectionSummary:
    filed: int
    online: int
    in_person: int
    accepted: int
    rejected: int
    withdrawn: int
    open: int
    points: Decimal
    by_agency: list[AgencyObjections]


def objection_summary(objections: list[Objection]) -> ObjectionSummary:
    rows: dict[int, AgencyObjections] = {}
    for o in objections:
        agency = o.participation.agency
        row = rows.setdefault(agency.pk, AgencyObjections(agency))
        row.filed += 1
        if o.state == ObjectionState.ACCEPTED:
            row.accepted += 1
            if o.new_score is not None:
                row.points += o.new_score - o.old_score
        elif o.state == ObjectionState.REJECTED:
            row.rejected += 1
    states = [o.state for o in objections]
    by_agency = sorted(rows.values(), key=lambda r: r.agency.code)
    return ObjectionSummary(
        filed=len(objections),
        online=sum(1 for o in objections if not o.in_person),
        in_person=sum(1 for o in objections if o.in_person),
        accepted=states.count(ObjectionState.ACCEPTED),
        rejected=states.count(ObjectionState.REJECTED),
        withdrawn=states.count(ObjectionState.WITHDRAWN),
        open=states.count(ObjectionState.FILED) + states.count(ObjectionState.ROUTED),
        points=sum((r.points for r in by_agency), Decimal(0)),
        by_agency=by_agency,
    )


# --- inquiries -----------------------------------------------------------------------------


@dataclass
class BodyInquiries:
    body: Any
    sent: int = 0
    on_time: int = 0  # answered by the due time
    late: int = 0  # answered after it
    overdue: int = 0  # not answered and past due now
    waiting: int = 0  # not answered, not yet due


def inquiry_summary(inquiries: list[Inquiry]) -> list[BodyInquiries]:
    now = timezone.now()
    rows: dict[int, BodyInquiries] = {}
    for inquiry in inquiries:
        body = inquiry.topic.body
        row = rows.setdefault(body.pk, BodyInquiries(body))
        row.sent += 1
        if inquiry.state == InquiryState.ANSWERED:
            if inquiry.answered_at and inquiry.answered_at > inquiry.due_at:
                row.late += 1
            else:
                row.on_time += 1
        elif inquiry.is_overdue(now):
            row.overdue += 1
        else:
            row.waiting += 1
    return sorted(rows.values(), key=lambda r: r.body.name)


# --- convergence ---------------------------------------------------------------------------


@dataclass
class Convergence:
    agency: Any
    self_total: Decimal
    final: Decimal
    gap: Decimal  # final − self-assessment, out of 100: negative when the agency claimed more
    gauge_score: Decimal | None  # the convergence gauge (7.1.3) as scored, and its maximum
    gauge_max: Decimal | None


def convergence(results: list[Result]) -> list[Convergence]:
    rows = []
    for result in results:
        gauge = next((g for g in result.gauges if g.get("source") == CONVERGENCE), None)
        rows.append(
            Convergence(
                agency=result.participation.agency,
                self_total=result.self_total,
                final=result.final,
                gap=result.final - result.self_total,
                gauge_score=number(gauge["score"]) if gauge else None,
                gauge_max=number(gauge["max"]) if gauge else None,
            )
        )
    return sorted(rows, key=lambda r: (abs(r.gap), r.agency.code), reverse=True)


# --- the analytic part («آسیب‌شناسی») --------------------------------------------------------


@dataclass
class WeakGauge:
    code: str
    title: str
    axis: str
    indicator: str
    indicator_title: str
    average: Decimal  # mean percent of the maximum across the agencies it applied to
    counted: int  # agencies it applied to
    under_half: int  # of them, those that scored under half of the maximum

    @property
    def summary(self) -> str:
        return _(
            "Gauge %(code)s «%(title)s»: the province averaged %(average)s%% of the maximum; "
            "%(under)s of %(counted)s agencies scored under half."
        ) % {
            "code": fa(self.code),
            "title": self.title,
            "average": fa(self.average),
            "under": fa(self.under_half),
            "counted": fa(self.counted),
        }


@dataclass
class WeakIndicator:
    code: str
    title: str
    average: Decimal  # the province's points on it as a percent of its maximum points


@dataclass
class AxisWeakness:
    code: str
    title: str
    indicators: list[WeakIndicator]


@dataclass
class Pathology:
    gauges: list[WeakGauge]
    axes: list[AxisWeakness]


def pathology(results: list[Result], axis_titles: dict[str, str]) -> Pathology:
    per_gauge: dict[str, tuple[dict[str, Any], list[Decimal]]] = {}
    per_indicator: dict[str, list[Decimal]] = {}  # [score, max] summed over agencies
    titles: dict[str, tuple[str, str]] = {}  # indicator -> (axis, title)
    for result in results:
        for gauge in result.gauges:
            if gauge["part"] != GENERAL or gauge.get("status") == NOT_APPLICABLE:
                continue
            value = share(gauge["score"], gauge["max"])
            if value is None:
                continue
            per_gauge.setdefault(gauge["code"], (gauge, []))[1].append(value)
            total = per_indicator.setdefault(gauge["indicator"], [Decimal(0), Decimal(0)])
            total[0] += number(gauge["score"])
            total[1] += number(gauge["max"])
            titles[gauge["indicator"]] = (gauge["axis"], gauge.get("indicator_title", ""))
    weak = [
        WeakGauge(
            code=code,
            title=gauge["title"],
            axis=gauge["axis"],
            indicator=gauge["indicator"],
            indicator_title=gauge.get("indicator_title", ""),
            average=rounded(sum(values, Decimal(0)) / len(values)),
            counted=len(values),
            under_half=sum(1 for v in values if v < HALF),
        )
        for code, (gauge, values) in per_gauge.items()
    ]
    # Weakest first; equal averages: more agencies under half first, then catalogue order.
    weak.sort(key=lambda g: code_key(g.code))
    weak.sort(key=lambda g: (g.average, -g.under_half))
    axes: dict[str, list[WeakIndicator]] = {}
    for code, (score, top) in per_indicator.items():
        axis, title = titles[code]
        axes.setdefault(axis, []).append(WeakIndicator(code, title, rounded(score * 100 / top)))
    return Pathology(
        gauges=weak[:WEAK_GAUGES],
        axes=[
            AxisWeakness(
                code=axis,
                title=axis_titles.get(axis, ""),
                indicators=sorted(found, key=lambda i: (i.average, code_key(i.code)))[
                    :WEAK_INDICATORS
                ],
            )
            for axis, found in sorted(axes.items(), key=lambda a: code_key(a[0]))
        ],
    )


# --- the report ----------------------------------------------------------------------------


@dataclass
class ProvinceReport:
    cycle: Cycle
    fixed: bool  # the deputy's final approval is in force: there is a report to read
    released: bool
    turnout: Turnout | None = None
    spreads: list[Spread] = field(default_factory=list)
    standings: list[Standing] = field(default_factory=list)
    groups: list[tuple[Any, list[Standing]]] = field(default_factory=list)
    objections: ObjectionSummary | None = None
    inquiries: list[BodyInquiries] = field(default_factory=list)
    convergence: list[Convergence] = field(default_factory=list)
    pathology: Pathology | None = None

    @property
    def agencies(self) -> int:
        return len(self.standings)


def province_report(cycle: Cycle) -> ProvinceReport:
    """The report of one cycle; empty (``fixed`` false) until the deputy's final approval.

    A fixed number of queries whatever the number of agencies (asserted in the tests).
    """
    if not scores_locked(cycle):
        return ProvinceReport(cycle=cycle, fixed=False, released=is_released(cycle))
    participations = list(
        Participation.objects.filter(cycle=cycle)
        .select_related("cycle", "agency", "agency__agency_type")
        # deadline() reads each participation's cycle steps: one query for them all.
        .prefetch_related("cycle__steps")
    )
    results = list(
        Result.objects.filter(participation__cycle=cycle).select_related(
            "participation__agency", "participation__agency__agency_type"
        )
    )
    ranked = standings(cycle, results)
    axis_titles = {a["code"]: a["title"] for r in results for a in r.axes if a["part"] == GENERAL}
    return ProvinceReport(
        cycle=cycle,
        fixed=True,
        released=is_released(cycle),
        turnout=turnout(participations),
        spreads=spreads(results),
        standings=ranked,
        groups=by_peer_group(ranked),
        objections=objection_summary(
            list(
                Objection.objects.filter(participation__cycle=cycle).select_related(
                    "participation__agency"
                )
            )
        ),
        inquiries=inquiry_summary(
            list(Inquiry.objects.filter(cycle=cycle).select_related("topic__body"))
        ),
        convergence=convergence(results),
        pathology=pathology(results, axis_titles),
    )


def province_cycle(user: Any, pk: int) -> Cycle:
    """The report's cycle: 404 outside the user's sight, 403 to those who may not read it."""
    from karnameh.accounts.permissions import require
    from karnameh.cycles.selectors import visible_cycle

    cycle = visible_cycle(user, pk)
    require(user, "reports.province", cycle)
    return cycle


def not_fixed_message() -> str:
    return _(
        "The province report is drawn from the scores the deputy's final approval fixes. "
        "The deputy has not given that approval for this cycle yet (or has reopened the "
        "scores), so there is no report to read."
    )
