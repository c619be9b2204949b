"""Reading a self-assessment: the workspace of every gauge by axis, with progress.

A fixed number of queries whatever the catalogue's size: the answers, the evidence, the MoU
targets, the steps (for the deadline) and last year's answers (for pre-filling), each read
once; scoring is the engine's, in memory.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.http import Http404

from karnameh.accounts.models import Role
from karnameh.accounts.permissions import grants, require
from karnameh.agreements.selectors import agreed_targets
from karnameh.catalogue.trying import takes_mou_target
from karnameh.cycles.models import CycleStatus, Participation
from karnameh.cycles.selectors import visible_participation
from karnameh.scoring import (
    MISSING,
    NOT_APPLICABLE,
    Axis,
    CatalogueResult,
    Gauge,
    GaugeResult,
    Indicator,
)
from karnameh.scoring.numbers import ZERO, fa

from .models import Answer, Evidence
from .scoring import LATER, Sheet, find_gauge, part_result, self_score, sheets


@dataclass
class GaugeRow:
    part: str
    indicator: Indicator
    gauge: Gauge
    answer: Answer | None
    result: GaugeResult
    target: Decimal | None
    needs_target: bool
    evidence: list[Evidence]
    # Last year's figures for fields that ask for them (``previous``), by field code.
    prefill: dict[str, Any]
    # Scored by the organization at the end (convergence): not entered by the agency.
    later: bool

    @property
    def answered(self) -> bool:
        return self.later or bool(self.answer and self.answer.data)

    @property
    def evidence_missing(self) -> bool:
        """Answered, applicable, the catalogue asks for evidence, and no file is attached."""
        asks = bool(self.gauge.evidence or self.indicator.evidence)
        return (
            asks
            and not self.later
            and self.answered
            and self.result.status != NOT_APPLICABLE
            and not self.evidence
        )

    @property
    def version(self) -> int:
        return self.answer.version if self.answer else 0


@dataclass
class AxisBlock:
    part: str
    axis: Axis
    rows: list[GaugeRow] = field(default_factory=list)
    score: Decimal = ZERO

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def answered(self) -> int:
        return sum(row.answered for row in self.rows)

    @property
    def evidence_missing(self) -> int:
        return sum(row.evidence_missing for row in self.rows)

    @property
    def percent(self) -> int:
        return round(self.answered * 100 / self.total) if self.total else 100


@dataclass
class Workspace:
    participation: Participation
    blocks: list[AxisBlock]
    results: dict[str, CatalogueResult]

    @property
    def total(self) -> int:
        return sum(block.total for block in self.blocks)

    @property
    def answered(self) -> int:
        return sum(block.answered for block in self.blocks)

    @property
    def evidence_missing(self) -> int:
        return sum(block.evidence_missing for block in self.blocks)

    @property
    def unanswered(self) -> int:
        return self.total - self.answered

    @property
    def percent(self) -> int:
        return round(self.answered * 100 / self.total) if self.total else 100

    def rows(self) -> list[GaugeRow]:
        return [row for block in self.blocks for row in block.rows]

    def row(self, part: str, code: str) -> GaugeRow | None:
        return next((r for r in self.rows() if r.part == part and r.gauge.code == code), None)


def _later(top: Decimal) -> str:
    return f"پس از امتیاز نهایی همهٔ نماگرها، سازمان این نماگر را می‌سنجد (سقف {fa(top)})"


def previous_participation(participation: Participation) -> Participation | None:
    """The same agency in last year's cycle of the same level and province, if any."""
    cycle = participation.cycle
    return (
        Participation.objects.filter(
            agency_id=participation.agency_id,
            cycle__year=cycle.year - 1,
            cycle__level=cycle.level,
            cycle__province=cycle.province,
        )
        .only("pk")
        .first()
    )


def _previous_figures(
    participation: Participation, only: tuple[str, str] | None = None
) -> dict[tuple[str, str], dict[str, Any]]:
    last = previous_participation(participation)
    if last is None:
        return {}
    rows = Answer.objects.filter(participation=last).only("part", "gauge_code", "data")
    if only is not None:
        rows = rows.filter(part=only[0], gauge_code=only[1])
    return {(a.part, a.gauge_code): (a.data or {}).get("fields", {}) for a in rows}


def _prefill(gauge: Gauge, last: dict[str, Any]) -> dict[str, Any]:
    return {
        f.code: last[f.previous]
        for f in gauge.fields
        if f.previous and f.previous in last and last[f.previous] is not None
    }


def _asks_last_year(gauges: list[Gauge]) -> bool:
    """Whether any field pre-fills from last year: if none does, last year is not read."""
    return any(f.previous for gauge in gauges for f in gauge.fields)


def workspace(participation: Participation) -> Workspace:
    """Every gauge of the participation's catalogues by axis, scored from its stored answer,
    with the totals of each part.

    The rows are what lists and totals need, read lean: an answer without who saved it, files
    only to be counted (``gauge_row`` gives one gauge with both in full, for its editor).
    """
    answers = list(Answer.objects.filter(participation=participation))
    by_gauge = {(a.part, a.gauge_code): a for a in answers}
    files: dict[tuple[str, str], list[Evidence]] = defaultdict(list)
    attached = Evidence.objects.filter(participation=participation, removed_at__isnull=True)
    for item in attached.only("part", "gauge_code"):
        files[(item.part, item.gauge_code)].append(item)
    targets = agreed_targets(participation)
    found_sheets = sheets(participation)
    everything = [g for found in found_sheets for _i, g in found.engine.gauges()]
    last_year = _previous_figures(participation) if _asks_last_year(everything) else {}
    blocks: list[AxisBlock] = []
    results: dict[str, CatalogueResult] = {}
    for found in found_sheets:
        result = part_result(found, answers, targets)
        results[found.part] = result
        axis_scores = {axis.code: axis.score for axis in result.axes}
        for axis in found.engine.axes:
            block = AxisBlock(found.part, axis, score=axis_scores.get(axis.code, ZERO))
            for indicator in axis.indicators:
                for gauge in indicator.gauges:
                    key = (found.part, gauge.code)
                    block.rows.append(
                        _row(found, indicator, gauge, by_gauge.get(key), targets, files, last_year)
                    )
            blocks.append(block)
    return Workspace(participation, blocks, results)


def gauge_row(participation: Participation, part: str, code: str) -> GaugeRow:
    """One gauge's row exactly as ``workspace`` builds it, reading only that gauge's answer,
    files and last-year figures (the editor and the API's gauge need no totals); 404 for a
    gauge not in the participation's catalogues."""
    found, indicator, gauge = gauge_or_404(participation, part, code)
    answer = (
        Answer.objects.filter(participation=participation, part=part, gauge_code=code)
        .select_related("updated_by")
        .first()
    )
    key = (part, code)
    files = {key: list(_evidence(participation).filter(part=part, gauge_code=code))}
    last_year = _previous_figures(participation, key) if _asks_last_year([gauge]) else {}
    targets = agreed_targets(participation)
    return _row(found, indicator, gauge, answer, targets, files, last_year)


def _evidence(participation: Participation) -> Any:
    """The files attached and not removed, oldest first."""
    return (
        Evidence.objects.filter(participation=participation, removed_at__isnull=True)
        .select_related("file", "added_by")
        .order_by("added_at", "id")
    )


def _row(
    found: Sheet,
    indicator: Indicator,
    gauge: Gauge,
    answer: Answer | None,
    targets: dict[tuple[str, str], Decimal],
    files: dict[tuple[str, str], list[Evidence]],
    last_year: dict[tuple[str, str], dict[str, Any]],
) -> GaugeRow:
    key = (found.part, gauge.code)
    target = targets.get(key)
    later = gauge.rule.kind in LATER
    if later:
        result = GaugeResult(gauge.code, ZERO, gauge.max_score, MISSING, (_later, gauge.max_score))
    else:
        result = self_score(found.engine, indicator, gauge, answer.data if answer else None, target)
    return GaugeRow(
        part=found.part,
        indicator=indicator,
        gauge=gauge,
        answer=answer,
        result=result,
        target=target,
        needs_target=takes_mou_target(indicator, gauge),
        evidence=files.get(key, []),
        prefill=_prefill(gauge, last_year.get(key, {})),
        later=later,
    )


def own_participations(user: Any) -> list[Participation]:
    """The published cycles the user's own agencies take part in, newest first."""
    agencies = {
        g.agency_id for g in grants(user) if g.role in (Role.AGENCY, Role.PERFORMANCE_OFFICE)
    }
    return list(
        Participation.objects.filter(agency_id__in=agencies, cycle__status=CycleStatus.PUBLISHED)
        .select_related("cycle", "agency")
        .order_by("-cycle__year", "agency__code")
    )


def visible_assessment(user: Any, cycle: int, agency: str) -> Participation:
    """The self-assessment if the user may see it; "not found" otherwise (pages and API)."""
    participation = visible_participation(user, cycle, agency)
    require(user, "assessment.view", participation)
    return participation


def gauge_or_404(
    participation: Participation, part: str, code: str
) -> tuple[Sheet, Indicator, Gauge]:
    found = find_gauge(participation, part, code)
    if found is None:
        raise Http404
    return found
