"""Scoring a whole catalogue: gauge statuses, indicator and axis sums, not-applicable rescaling.

``Scorer(catalogue)`` prepares the catalogue once (a flat list of gauges with their rules);
``scorer.score(answers)`` then scores one agency. The web app and ``karnameh score`` both come
here, so an agency checking its figures offline gets the points the system gives.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .expressions import EvaluationError
from .fields import Invalid
from .model import Catalogue, Gauge, Indicator
from .numbers import ZERO, fa, round2
from .rules import ConvergenceRule, Env

SCORED = "scored"
MISSING = "missing"
NOT_APPLICABLE = "not_applicable"
INVALID = "invalid"
STATUS_LABELS = {
    SCORED: "امتیازدهی‌شده",
    MISSING: "بی‌پاسخ",
    NOT_APPLICABLE: "عدم مصداق",
    INVALID: "نامعتبر",
}


@dataclass(slots=True)
class GaugeResult:
    code: str
    score: Decimal
    max: Decimal
    status: str
    explanation: str
    problem: str | None = None
    inputs: dict[str, Decimal] = field(default_factory=dict)


@dataclass(slots=True)
class IndicatorResult:
    code: str
    score: Decimal
    max: Decimal
    status: str
    applicable_max: Decimal
    gauges: list[GaugeResult]


@dataclass(slots=True)
class AxisResult:
    code: str
    score: Decimal
    max: Decimal
    status: str
    applicable_max: Decimal
    earned: Decimal
    explanation: str
    indicators: list[IndicatorResult]


@dataclass(slots=True)
class CatalogueResult:
    catalogue: str
    total: Decimal
    max: Decimal
    applicable_max: Decimal
    explanation: str
    axes: list[AxisResult]

    @property
    def problems(self) -> list[tuple[str, str]]:
        """``(gauge code, message)`` of every invalid gauge, in catalogue order."""
        return [(g.code, g.problem) for g in self.gauges() if g.problem is not None]

    def gauges(self) -> list[GaugeResult]:
        return [g for a in self.axes for i in a.indicators for g in i.gauges]

    def gauge(self, code: str) -> GaugeResult | None:
        return next((g for g in self.gauges() if g.code == code), None)

    def indicators(self) -> list[IndicatorResult]:
        return [i for a in self.axes for i in a.indicators]


def _status(statuses: list[str]) -> str:
    # The contract's rule: not applicable when all parts are, missing when all are, else scored.
    if all(s == NOT_APPLICABLE for s in statuses):
        return NOT_APPLICABLE
    if all(s == MISSING for s in statuses):
        return MISSING
    return SCORED


def score_gauge(indicator: Indicator, gauge: Gauge, answer: Any, env: Env) -> GaugeResult:
    """One gauge's score, status and explanation. Never raises for a bad answer."""
    code, top = gauge.code, gauge.max_score
    if answer is None:
        return GaugeResult(code, ZERO, top, MISSING, f"بی‌پاسخ → ۰ از {fa(top)}")
    if not isinstance(answer, Mapping):
        return _invalid(gauge, "پاسخ نماگر باید شیء باشد")
    flag = answer.get("not_applicable")
    if flag is True:
        if not (gauge.allow_not_applicable or indicator.allow_not_applicable):
            return _invalid(gauge, "این نماگر «عدم مصداق» نمی‌پذیرد")
        reason = answer.get("reason")
        why = f" (دلیل: {reason})" if isinstance(reason, str) and reason.strip() else ""
        text = f"عدم مصداق{why}: سقف {fa(top)} از حساب کنار گذاشته شد"
        return GaugeResult(code, ZERO, top, NOT_APPLICABLE, text)
    if flag not in (None, False):
        return _invalid(gauge, "«not_applicable» باید true یا false باشد")
    try:
        points, text, inputs = gauge.rule.score(answer, env)
    except (Invalid, EvaluationError) as error:
        return _invalid(gauge, error.message)
    return GaugeResult(code, points, top, SCORED, text, None, inputs)


def _invalid(gauge: Gauge, message: str) -> GaugeResult:
    text = f"نامعتبر: {message} → ۰ از {fa(gauge.max_score)}"
    return GaugeResult(gauge.code, ZERO, gauge.max_score, INVALID, text, message)


def _scale(earned: Decimal, applicable: Decimal, top: Decimal) -> tuple[Decimal, str]:
    """Points of a part whose not-applicable items were set aside, rescaled to its maximum."""
    if applicable == top:
        return earned, ""
    if applicable == ZERO:
        return ZERO, f"هیچ بخش قابل‌اعمالی ندارد (سقف {fa(top)} کنار گذاشته شد)"
    scaled = round2(earned * top / applicable)
    text = (
        f"{fa(earned)} از {fa(applicable)} قابل‌اعمال × {fa(top)} ÷ {fa(applicable)} = "
        f"{fa(scaled)} (بقیهٔ سقف عدم مصداق است)"
    )
    return scaled, text


class Scorer:
    """A catalogue made ready for scoring many agencies: build once, score often."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.max = catalogue.max_score
        self.by_axis = [
            (axis, [(indicator, list(indicator.gauges)) for indicator in axis.indicators])
            for axis in catalogue.axes
        ]
        self.entries = [(i, g) for _a, items in self.by_axis for i, gauges in items for g in gauges]
        self.codes = {g.code for _i, g in self.entries}

    def score(self, answers: Mapping[str, Any]) -> CatalogueResult:
        """Score one agency's answers: ``{gauge code: answer}`` as in the answers file."""
        env = Env(self.max)
        results: dict[str, GaugeResult] = {}
        later = []
        for indicator, gauge in self.entries:
            if isinstance(gauge.rule, ConvergenceRule):
                later.append((indicator, gauge))
                continue
            results[gauge.code] = score_gauge(indicator, gauge, answers.get(gauge.code), env)
        if later:
            # Convergence compares the agency's own total with the final total of every
            # other gauge, so it is scored once those are known.
            env.others_total = sum((r.score for r in results.values()), ZERO)
            for indicator, gauge in later:
                results[gauge.code] = score_gauge(indicator, gauge, answers.get(gauge.code), env)
        return self._totals(results)

    def _totals(self, results: dict[str, GaugeResult]) -> CatalogueResult:
        per_axis = self.catalogue.not_applicable == "axis"
        axes: list[AxisResult] = []
        for axis, items in self.by_axis:
            indicators = []
            for indicator, gauges in items:
                found = [results[g.code] for g in gauges]
                applicable = sum((r.max for r in found if r.status != NOT_APPLICABLE), ZERO)
                indicators.append(
                    IndicatorResult(
                        indicator.code,
                        sum((r.score for r in found), ZERO),
                        indicator.max_score,
                        _status([r.status for r in found]),
                        applicable,
                        found,
                    )
                )
            earned = sum((i.score for i in indicators), ZERO)
            applicable = sum((i.applicable_max for i in indicators), ZERO)
            status = _status([i.status for i in indicators])
            score, text = _scale(earned, applicable, axis.max_score) if per_axis else (earned, "")
            axes.append(
                AxisResult(
                    axis.code, score, axis.max_score, status, applicable, earned, text, indicators
                )
            )
        if per_axis:
            applicable = sum((a.max for a in axes if a.status != NOT_APPLICABLE), ZERO)
        else:
            applicable = sum((a.applicable_max for a in axes), ZERO)
        earned = sum((a.score for a in axes), ZERO)
        total, text = _scale(earned, applicable, self.max)
        return CatalogueResult(self.catalogue.code, total, self.max, applicable, text, axes)


def score_catalogue(catalogue: Catalogue, answers: Mapping[str, Any]) -> CatalogueResult:
    return Scorer(catalogue).score(answers)
