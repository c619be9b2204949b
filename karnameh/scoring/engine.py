"""Scoring a whole catalogue: gauge statuses, indicator and axis sums, not-applicable rescaling.

``Scorer(catalogue)`` prepares the catalogue once (a flat list of gauges with their rules);
``scorer.score(answers)`` then scores one agency. The web app and ``karnameh score`` both come
here, so an agency checking its figures offline gets the points the system gives.
"""

import gc
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .explain import invalid, missing, not_applicable
from .expressions import EvaluationError
from .fields import Invalid
from .model import Catalogue, Gauge, Indicator, allows_not_applicable
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


class GaugeResult:
    """One gauge's points and status; ``explanation`` is written the first time it is read."""

    __slots__ = ("_text", "_why", "code", "inputs", "max", "problem", "score", "status")

    def __init__(
        self,
        code: str,
        score: Decimal,
        top: Decimal,
        status: str,
        why: tuple[Any, ...],
        problem: str | None = None,
        inputs: dict[str, Decimal] | None = None,
    ) -> None:
        self.code = code
        self.score = score
        self.max = top
        self.status = status
        self._why = why
        self._text: str | None = None
        self.problem = problem
        self.inputs = inputs if inputs is not None else {}

    @property
    def explanation(self) -> str:
        """One line in Persian: the inputs, the rule and the arithmetic behind the score."""
        if self._text is None:
            why = self._why
            self._text = why[0](*why[1:])
        return self._text

    def __repr__(self) -> str:
        return f"GaugeResult({self.code!r}, {self.score!r}, {self.status!r}, {self.explanation!r})"


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


def _status(parts: int, set_aside: int, missing: int) -> str:
    # The contract's rule: not applicable when all parts are, missing when all are, else scored.
    if set_aside == parts:
        return NOT_APPLICABLE
    if missing == parts:
        return MISSING
    return SCORED


def score_gauge(indicator: Indicator, gauge: Gauge, answer: Any, env: Env) -> GaugeResult:
    """One gauge's score, status and explanation. Never raises for a bad answer."""
    if answer is None:
        return GaugeResult(gauge.code, ZERO, gauge.max_score, MISSING, (missing, gauge.max_score))
    if answer.__class__ is not dict and not isinstance(answer, Mapping):
        return _invalid(gauge, "پاسخ نماگر باید شیء باشد")
    flag = answer.get("not_applicable")
    if flag is not None and flag is not False:
        return _not_applicable(indicator, gauge, answer, flag)
    try:
        points, inputs, why = gauge.rule.score(answer, env)
    except (Invalid, EvaluationError) as error:
        return _invalid(gauge, error.message)
    return GaugeResult(gauge.code, points, gauge.max_score, SCORED, why, None, inputs)


def _not_applicable(
    indicator: Indicator, gauge: Gauge, answer: Mapping[str, Any], flag: object
) -> GaugeResult:
    if flag is not True:
        return _invalid(gauge, "«not_applicable» باید true یا false باشد")
    if not allows_not_applicable(indicator, gauge):
        return _invalid(gauge, "این نماگر «عدم مصداق» نمی‌پذیرد")
    reason = answer.get("reason")
    reason = reason.strip() if isinstance(reason, str) else ""
    why = (not_applicable, gauge.max_score, reason)
    return GaugeResult(gauge.code, ZERO, gauge.max_score, NOT_APPLICABLE, why)


def _invalid(gauge: Gauge, message: str) -> GaugeResult:
    why = (invalid, message, gauge.max_score)
    return GaugeResult(gauge.code, ZERO, gauge.max_score, INVALID, why, message)


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


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while a whole cycle's agencies are read and scored.

    Otherwise it re-walks every object kept so far (answers, reviews, results), again and
    again, as they pile up: at national scale that halves the speed of ``score_all``, and it
    took 8.7 s of the 30 s recomputation (bench/national.py). Scoring makes no reference
    cycles (reference counting frees everything); whatever a caller's work leaves in a cycle
    is collected as usual once the collector runs again.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


class Scorer:
    """A catalogue made ready for scoring many agencies: build once, score often."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.max = catalogue.max_score
        self.per_axis = catalogue.not_applicable == "axis"
        entries = [(i, g) for a in catalogue.axes for i in a.indicators for g in i.gauges]
        # Convergence compares the agency's own total with the final total of every other
        # gauge, so it is scored once those are known.
        self.first = [(g.code, i, g) for i, g in entries if not isinstance(g.rule, ConvergenceRule)]
        self.later = [(g.code, i, g) for i, g in entries if isinstance(g.rule, ConvergenceRule)]
        # For the totals: each indicator's gauge codes, looked up together.
        self.layout = [
            (axis, [(i, [g.code for g in i.gauges]) for i in axis.indicators])
            for axis in catalogue.axes
        ]

    def score(self, answers: Mapping[str, Any]) -> CatalogueResult:
        """Score one agency's answers: ``{gauge code: answer}`` as in the answers file."""
        env = Env(self.max)
        answer_to = answers.get
        results: dict[str, GaugeResult] = {}
        for code, indicator, gauge in self.first:
            answer = answer_to(code)
            # The usual case inline (an answer object, not marked not applicable); anything
            # else goes through score_gauge, which handles every case.
            if type(answer) is dict and answer.get("not_applicable") is None:
                try:
                    points, inputs, why = gauge.rule.score(answer, env)
                except (Invalid, EvaluationError) as error:
                    results[code] = _invalid(gauge, error.message)
                else:
                    results[code] = GaugeResult(
                        code, points, gauge.max_score, SCORED, why, None, inputs
                    )
            else:
                results[code] = score_gauge(indicator, gauge, answer, env)
        if self.later:
            total = ZERO
            for result in results.values():
                total += result.score
            env.others_total = total
            for code, indicator, gauge in self.later:
                results[code] = score_gauge(indicator, gauge, answer_to(code), env)
        return self._totals(results)

    def score_all(self, agencies: Iterable[Mapping[str, Any]]) -> list[CatalogueResult]:
        """Score many agencies (a whole cycle), one result each, in order."""
        with collector_paused():
            return [self.score(answers) for answers in agencies]

    def _totals(self, results: dict[str, GaugeResult]) -> CatalogueResult:
        axes: list[AxisResult] = []
        for axis, layout in self.layout:
            indicators = []
            for indicator, codes in layout:
                found = [results[code] for code in codes]
                statuses = [r.status for r in found]
                set_aside = statuses.count(NOT_APPLICABLE)
                if set_aside:
                    applicable = sum((r.max for r in found if r.status != NOT_APPLICABLE), ZERO)
                else:
                    applicable = indicator.max_score
                indicators.append(
                    IndicatorResult(
                        indicator.code,
                        sum([r.score for r in found], ZERO),
                        indicator.max_score,
                        _status(len(found), set_aside, statuses.count(MISSING)),
                        applicable,
                        found,
                    )
                )
            earned = sum([i.score for i in indicators], ZERO)
            applicable = sum([i.applicable_max for i in indicators], ZERO)
            statuses = [i.status for i in indicators]
            status = _status(
                len(indicators), statuses.count(NOT_APPLICABLE), statuses.count(MISSING)
            )
            if self.per_axis:
                score, text = _scale(earned, applicable, axis.max_score)
            else:
                score, text = earned, ""
            axes.append(
                AxisResult(
                    axis.code, score, axis.max_score, status, applicable, earned, text, indicators
                )
            )
        earned = sum([a.score for a in axes], ZERO)
        if self.per_axis:
            applicable = sum([a.max for a in axes if a.status != NOT_APPLICABLE], ZERO)
        else:
            applicable = sum([a.applicable_max for a in axes], ZERO)
        total, text = _scale(earned, applicable, self.max)
        return CatalogueResult(self.catalogue.code, total, self.max, applicable, text, axes)


def score_catalogue(catalogue: Catalogue, answers: Mapping[str, Any]) -> CatalogueResult:
    return Scorer(catalogue).score(answers)
