"""Where one gauge of an agency stands: the score that counts, where it came from, who gave it.

Read from ``evaluations.final.scorecard`` (the one place that decides which answer counts), so
an objection is filed against exactly the score the agency sees. Kept apart from
``selectors``, which ``evaluations.final`` itself imports.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from karnameh.agreements.selectors import agreed_targets
from karnameh.assessments.scoring import LATER, find_gauge
from karnameh.cycles.models import Participation
from karnameh.evaluations.final import Scorecard, scorecard
from karnameh.evaluations.models import Review
from karnameh.scoring import Catalogue, Gauge, GaugeResult, Indicator


@dataclass
class Standing:
    participation: Participation
    part: str
    engine: Catalogue
    indicator: Indicator
    gauge: Gauge
    source: str | None  # evaluations.final: review, inquiry, objection, convergence; None
    result: GaugeResult | None  # the score that counts, when there is one
    self_result: GaugeResult | None  # the agency's self-score
    review: Review | None  # the evaluator's review that counts (its notes of deficiencies)
    given: dict[str, Any] = field(default_factory=dict)  # the answer that counts, no target
    target: Decimal | None = None

    @property
    def code(self) -> str:
        return self.gauge.code

    @property
    def scored(self) -> bool:
        return self.source is not None and self.result is not None

    @property
    def later(self) -> bool:
        """Convergence (7.1.3): scored from the other scores once they are final."""
        return self.gauge.rule.kind in LATER

    @property
    def original_evaluator(self) -> Any:
        return self.review.assignment.evaluator if self.review is not None else None


def standing(
    participation: Participation, part: str, code: str, card: Scorecard | None = None
) -> Standing | None:
    """The gauge's standing, or None when the agency's catalogue has no such gauge."""
    found = find_gauge(participation, part, code)
    if found is None:
        return None
    sheet, indicator, gauge = found
    card = card or scorecard(participation)
    part_card = card.part(part)
    source = part_card.sources.get(code) if part_card else None
    given = dict(part_card.given.get(code) or {}) if part_card else {}
    given.pop("target", None)
    return Standing(
        participation=participation,
        part=part,
        engine=sheet.engine,
        indicator=indicator,
        gauge=gauge,
        source=source,
        result=part_card.result.gauge(code) if part_card and source else None,
        self_result=part_card.self_result.gauge(code) if part_card else None,
        review=part_card.reviews.get(code) if part_card else None,
        given=given,
        target=agreed_targets(participation).get((part, code)),
    )


def scored_gauges(participation: Participation, card: Scorecard | None = None) -> list[Standing]:
    """Every gauge of the agency that has a score to object to, in catalogue order."""
    card = card or scorecard(participation)
    targets = agreed_targets(participation)
    rows = []
    for part_card in card.parts:
        counted = {g.code: g for g in part_card.result.gauges()}
        own = {g.code: g for g in part_card.self_result.gauges()}
        for indicator, gauge in part_card.sheet.engine.gauges():
            code = gauge.code
            source = part_card.sources.get(code)
            if source is None or gauge.rule.kind in LATER:
                continue
            rows.append(
                Standing(
                    participation=participation,
                    part=part_card.part,
                    engine=part_card.sheet.engine,
                    indicator=indicator,
                    gauge=gauge,
                    source=source,
                    result=counted.get(code),
                    self_result=own.get(code),
                    review=part_card.reviews.get(code),
                    target=targets.get((part_card.part, code)),
                )
            )
    return rows


def reviewers(participation: Participation, part: str, code: str) -> list[Any]:
    """Every evaluator who reviewed that gauge of that agency (removed assignments too)."""
    found: dict[int, Any] = {}
    for review in Review.objects.filter(
        participation=participation, part=part, gauge_code=code
    ).select_related("assignment__evaluator"):
        found.setdefault(review.assignment.evaluator_id, review.assignment.evaluator)
    return list(found.values())
