"""What an evaluator scores, and the two thresholds of initial approval, as plain functions.

An assignment covers the gauges of its part (general or specific) in its axes (none: the whole
part), except the convergence gauge (scored at the end from the two totals) and the gauges
the catalogue gives to an assessing body (their answers come by inquiry). The services, the
pages, the API and the board all count gauges with ``scope_gauges``, so "reviewed 12 of 40"
means the same everywhere.
"""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from karnameh.assessments.scoring import LATER, Sheet
from karnameh.scoring import Axis, Gauge, Indicator
from karnameh.scoring.engine import NOT_APPLICABLE, SCORED
from karnameh.scoring.model import effective_assessor

# Step 8 of the cycle (seed 003): expert evaluation by the organization's evaluators.
EVALUATION = 8
# A review with one of these statuses is an answer; "missing" and "invalid" are not yet.
REVIEWED = (SCORED, NOT_APPLICABLE)


def by_evaluators(indicator: Indicator, gauge: Gauge) -> bool:
    """Evaluators score it: not convergence (LATER), not an assessing body's (inquiries)."""
    return gauge.rule.kind not in LATER and not effective_assessor(indicator, gauge)


def covers(axes: Iterable[str], axis_code: str) -> bool:
    found = list(axes)
    return not found or axis_code in found


def axis_of(sheet: Sheet, gauge_code: str) -> str | None:
    for axis in sheet.engine.axes:
        for indicator in axis.indicators:
            if any(gauge.code == gauge_code for gauge in indicator.gauges):
                return axis.code
    return None


def scope_gauges(assignment: Any, sheet: Sheet) -> list[tuple[Axis, Indicator, Gauge]]:
    """The gauges this assignment scores, in catalogue order."""
    if sheet.part != assignment.scope:
        return []
    return [
        (axis, indicator, gauge)
        for axis in sheet.engine.axes
        if covers(assignment.axes, axis.code)
        for indicator in axis.indicators
        for gauge in indicator.gauges
        if by_evaluators(indicator, gauge)
    ]


def needs_deficiencies(score: Decimal | None, self_score: Decimal | None) -> bool:
    """Seed 002: notes of deficiencies whenever the evaluator's score is below the agency's."""
    return score is not None and score < (self_score or Decimal(0))


def gap_limit(percent: Decimal, max_score: Decimal) -> Decimal:
    """The largest gap between two evaluators' scores that needs no consensus note."""
    return percent * max_score / Decimal(100)


def needs_consensus(internal: Decimal | None, external: Decimal | None, limit: Decimal) -> bool:
    """An internal and an external score further apart than the cycle allows."""
    return internal is not None and external is not None and abs(internal - external) > limit
