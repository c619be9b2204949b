"""The report card of an agency (کارنامه): its fixed result read back with everything around it.

One card costs the same few queries whatever the catalogue's or the province's size: the
cycle's standings (``results.ranking.standings``, five queries), the agency's notes of
deficiencies, its decided objections and its improvement plan. ``cards(cycle)`` builds every
card of a cycle sharing the standings and the peer-group averages, three more queries in all.

Strengths and weaknesses: for each gauge, the agency's score as a % of the gauge's maximum
minus the average of the same % over its peer group (the agencies of its type in the cycle,
itself included), counting only gauges that at least two of the group were scored on. The
five gauges furthest above are strengths, the five furthest below weaknesses (ties by code).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from karnameh.accounts.permissions import require
from karnameh.cycles.models import Cycle, Participation
from karnameh.cycles.selectors import visible_cycle, visible_participations
from karnameh.evaluations.models import Review
from karnameh.objections.models import DECIDED_STATES, Objection
from karnameh.results.locks import is_released, scores_locked
from karnameh.results.models import ImprovementPlan, Result
from karnameh.results.ranking import Standing, standings

from . import charts
from .charts import percent

TOP = 5
Key = tuple[str, str]  # (part, gauge code)


@dataclass
class Outcome:
    """A decided objection on one gauge."""

    accepted: bool
    state: str
    reasons: str
    old_score: Decimal
    new_score: Decimal | None
    decided_at: Any


@dataclass
class GaugeRow:
    part: str
    code: str
    title: str
    score: Any
    max: Any
    self: Any
    status: str
    deficiencies: list[str] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    peer_average: float | None = None
    gap: float | None = None  # own % minus the peer group's average %

    @property
    def percent(self) -> float | None:
        return percent(self.score, self.max)


@dataclass
class IndicatorRow:
    code: str
    title: str
    gauges: list[GaugeRow] = field(default_factory=list)


@dataclass
class AxisRow:
    part: str
    code: str
    title: str
    score: Any
    max: Any
    self: Any
    previous_score: Any = None
    previous_max: Any = None
    indicators: list[IndicatorRow] = field(default_factory=list)

    @property
    def percent(self) -> float | None:
        return percent(self.score, self.max)

    @property
    def previous_percent(self) -> float | None:
        return percent(self.previous_score, self.previous_max)


@dataclass
class Card:
    participation: Participation
    result: Result
    standing: Standing
    axes: list[AxisRow]
    strengths: list[GaugeRow]
    weaknesses: list[GaugeRow]
    plan: ImprovementPlan | None
    released: bool
    chart: str = ""

    @property
    def agency(self) -> Any:
        return self.participation.agency

    @property
    def cycle(self) -> Cycle:
        return self.participation.cycle

    @property
    def previous(self) -> Result | None:
        return self.standing.previous

    @property
    def gauge_codes(self) -> set[str]:
        return {g["code"] for g in self.result.gauges}

    @property
    def gauge_titles(self) -> dict[str, str]:
        return {g["code"]: g["title"] for g in self.result.gauges}


@dataclass
class Peers:
    """What every card of a cycle shares: the standings and the peer-group averages."""

    cycle: Cycle
    standings: dict[int, Standing]  # participation id ->
    averages: dict[int, dict[Key, tuple[float, int]]]  # agency type -> key -> (avg %, count)


def peers(cycle: Cycle) -> Peers:
    rows = standings(cycle)
    sums: dict[int, dict[Key, list[float]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        kind = row.agency.agency_type_id
        for gauge in row.result.gauges:
            value = percent(gauge.get("score"), gauge.get("max"))
            if value is not None:
                sums[kind][(gauge["part"], gauge["code"])].append(value)
    averages = {
        kind: {key: (sum(values) / len(values), len(values)) for key, values in found.items()}
        for kind, found in sums.items()
    }
    return Peers(
        cycle=cycle,
        standings={row.result.participation_id: row for row in rows},
        averages=averages,
    )


def card_participation(user: Any, cycle: int, agency: str) -> Participation:
    """The participation whose card the user asked for: 404 outside their sight or while no
    result is fixed; 403 inside their sight but outside ``reports.card`` (e.g. the embargo)."""
    found = visible_cycle(user, cycle)
    participation = (
        visible_participations(user)
        .filter(cycle=found, agency__code=agency)
        .select_related("agency__headquarters")
        .first()
    )
    if participation is None:
        raise Http404
    participation.cycle = found
    require(user, "reports.card", participation)
    if not scores_locked(found) or not Result.objects.filter(participation=participation).exists():
        raise Http404(_("This agency's report card is not ready yet."))
    return participation


def card(
    participation: Participation, *, shared: Peers | None = None, chart: str | None = "svg"
) -> Card:
    """One agency's card. ``chart``: "svg", "png" or None (no chart drawn)."""
    return next(iter(_cards([participation], shared or peers(participation.cycle), chart)))


def cards(cycle: Cycle, *, chart: str | None = "svg") -> Iterator[Card]:
    """Every card of the cycle, by agency code (for the ZIP of PDFs)."""
    shared = peers(cycle)
    ordered = sorted(shared.standings.values(), key=lambda s: s.agency.code)
    participations = [s.result.participation for s in ordered]
    for p in participations:
        p.cycle = cycle
    return _cards(participations, shared, chart)


def _cards(participations: list[Participation], shared: Peers, chart: str | None) -> Iterator[Card]:
    ids = [p.pk for p in participations]
    notes = _deficiencies(ids)
    outcomes = _outcomes(ids)
    plans = {p.participation_id: p for p in ImprovementPlan.objects.filter(participation__in=ids)}
    released = is_released(shared.cycle)
    for participation in participations:
        standing = shared.standings.get(participation.pk)
        if standing is None:
            raise Http404(_("This agency's report card is not ready yet."))
        averages = shared.averages.get(participation.agency.agency_type_id, {})
        yield _build(
            participation,
            standing,
            averages,
            notes.get(participation.pk, {}),
            outcomes.get(participation.pk, {}),
            plans.get(participation.pk),
            released,
            chart,
        )


def _deficiencies(ids: list[int]) -> dict[int, dict[Key, list[str]]]:
    found: dict[int, dict[Key, list[str]]] = defaultdict(lambda: defaultdict(list))
    rows = (
        Review.objects.filter(participation__in=ids, assignment__removed_at__isnull=True)
        .exclude(deficiencies="")
        .order_by("participation", "part", "gauge_code", "assignment")
        .values_list("participation", "part", "gauge_code", "deficiencies")
    )
    for participation, part, code, text in rows:
        found[participation][(part, code)].append(text)
    return found


def _outcomes(ids: list[int]) -> dict[int, dict[Key, list[Outcome]]]:
    found: dict[int, dict[Key, list[Outcome]]] = defaultdict(lambda: defaultdict(list))
    rows = Objection.objects.filter(participation__in=ids, state__in=DECIDED_STATES).order_by(
        "decided_at", "pk"
    )
    for o in rows:
        found[o.participation_id][(o.part, o.gauge_code)].append(
            Outcome(
                accepted=o.state == "accepted",
                state=o.get_state_display(),
                reasons=o.reasons,
                old_score=o.old_score,
                new_score=o.new_score,
                decided_at=o.decided_at,
            )
        )
    return found


def _build(
    participation: Participation,
    standing: Standing,
    averages: dict[Key, tuple[float, int]],
    notes: dict[Key, list[str]],
    outcomes: dict[Key, list[Outcome]],
    plan: ImprovementPlan | None,
    released: bool,
    chart: str | None,
) -> Card:
    result = standing.result
    previous = {
        (a["part"], a["code"]): a for a in (standing.previous.axes if standing.previous else [])
    }
    axes: dict[Key, AxisRow] = {}
    for a in result.axes:
        before = previous.get((a["part"], a["code"]), {})
        axes[(a["part"], a["code"])] = AxisRow(
            part=a["part"],
            code=a["code"],
            title=a["title"],
            score=a.get("score"),
            max=a.get("max"),
            self=a.get("self"),
            previous_score=before.get("score"),
            previous_max=before.get("max"),
        )
    compared: list[GaugeRow] = []
    indicators: dict[tuple[str, str], IndicatorRow] = {}
    for g in result.gauges:
        key = (g["part"], g["code"])
        row = GaugeRow(
            part=g["part"],
            code=g["code"],
            title=g["title"],
            score=g.get("score"),
            max=g.get("max"),
            self=g.get("self"),
            status=g.get("status", ""),
            deficiencies=notes.get(key, []),
            outcomes=outcomes.get(key, []),
        )
        average = averages.get(key)
        own = row.percent
        if average is not None and average[1] >= 2 and own is not None:
            row.peer_average = round(average[0], 1)
            row.gap = round(own - average[0], 1)
            compared.append(row)
        axis = axes.get((g["part"], g["axis"]))
        if axis is None:  # a gauge outside the fixed axes: never written, kept safe
            continue
        ikey = (g["part"], g["indicator"])
        if ikey not in indicators:
            indicators[ikey] = IndicatorRow(code=g["indicator"], title=g.get("indicator_title", ""))
            axis.indicators.append(indicators[ikey])
        indicators[ikey].gauges.append(row)
    above = sorted(
        (r for r in compared if r.gap and r.gap > 0), key=lambda r: (-(r.gap or 0), r.code)
    )
    below = sorted((r for r in compared if r.gap and r.gap < 0), key=lambda r: (r.gap or 0, r.code))
    found = Card(
        participation=participation,
        result=result,
        standing=standing,
        axes=list(axes.values()),
        strengths=above[:TOP],
        weaknesses=below[:TOP],
        plan=plan,
        released=released,
    )
    if chart:
        found.chart = charts.axis_chart(
            result.axes, final_label=_("final score"), self_label=_("self-assessment"), fmt=chart
        )
    return found


def plan_rows(found: Card) -> list[dict[str, str]]:
    """The plan's actions, or (no plan yet) one empty action per weakness to start from."""
    if found.plan and found.plan.actions:
        return [dict(a) for a in found.plan.actions]
    return [{"gauge": w.code, "action": "", "owner": "", "due": ""} for w in found.weaknesses]
