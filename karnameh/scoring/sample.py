"""Believable random answers for a catalogue: for benchmarks, demos and property tests.

The figures lean the way real self-assessments do (most work done, most targets nearly met),
with a few gauges left unanswered and not-applicable answers where the catalogue allows them.
Seeded: the same seed gives the same answers.
"""

import random
from decimal import Decimal
from typing import Any

from .model import (
    STAR,
    Catalogue,
    Column,
    Field,
    Gauge,
    Indicator,
    allows_not_applicable,
    effective_target,
)
from .rules import (
    ChecklistRule,
    ChoiceRule,
    ConvergenceRule,
    JudgementRule,
)

OPTION_WEIGHTS = {"complete": 6, "partial": 3, "not_done": 1, "yes": 7, "no": 3}


def _number(rng: random.Random, kind: str) -> Any:
    if kind == "percent":
        return round(rng.triangular(20, 100, 90), 1)
    if kind == "integer":
        return rng.randint(0, 250)
    return round(rng.triangular(0, 400, 150), 2)


def _choice(rng: random.Random, options: list[str]) -> str:
    weights = [OPTION_WEIGHTS.get(option, 2) for option in options]
    return rng.choices(options, weights=weights)[0]


def _field(rng: random.Random, field: Field) -> Any:
    if field.type == "boolean":
        return rng.random() < 0.7
    if field.type == "choice":
        return _choice(rng, list(field.options or {}))
    value = _number(rng, field.type)
    if field.minimum is not None and Decimal(str(value)) < field.minimum:
        value = int(field.minimum)
    if field.maximum is not None and Decimal(str(value)) > field.maximum:
        value = int(field.maximum)
    return value


def _cell(rng: random.Random, column: Column) -> Any:
    if column.type == "text":
        return f"ردیف {rng.randint(1, 999)}"
    if column.type == "choice":
        if "not_applicable" in column.options and rng.random() < 0.1:
            return "not_applicable"
        return _choice(
            rng, [o for o in column.options if o != "not_applicable"] or list(column.options)
        )
    if column.type == "boolean":
        return rng.random() < 0.7
    return _number(rng, column.type)


def random_answer(rng: random.Random, indicator: Indicator, gauge: Gauge) -> dict[str, Any] | None:
    """One gauge's answer as an agency would give it (None: left unanswered)."""
    if rng.random() < 0.01:
        return None
    if allows_not_applicable(indicator, gauge) and rng.random() < 0.3:
        return {"not_applicable": True, "reason": "فاقد واحد شهرستانی"}
    rule = gauge.rule
    answer: dict[str, Any] = {}
    if gauge.fields:
        answer["fields"] = {f.code: _field(rng, f) for f in gauge.fields if f.source is None}
    if gauge.tables:
        answer["tables"] = {
            table.code: [
                {column.code: _cell(rng, column) for column in table.columns}
                for _row in range(rng.randint(3, 15))
            ]
            for table in gauge.tables
        }
    if effective_target(indicator, gauge) == STAR:
        answer["target"] = rng.choice([50, 60, 70, 80, 90, 100])
    if isinstance(rule, ChoiceRule):
        answer["choice"] = _choice(rng, list(rule.options))
    elif isinstance(rule, ChecklistRule):
        answer["checked"] = [item.code for item in rule.items if rng.random() < 0.75]
    elif isinstance(rule, JudgementRule):
        # Evaluators give whole or half points, mostly in the upper half of the range.
        top = float(gauge.max_score)
        answer["score"] = min(top, round(rng.triangular(0.3, 1, 0.85) * top * 2) / 2)
    elif isinstance(rule, ConvergenceRule):
        answer["self_total"] = rng.randint(600, 950)
    return answer


def random_answers(catalogue: Catalogue, rng: random.Random) -> dict[str, dict[str, Any]]:
    """Answers to every gauge of the catalogue, as an answers file's ``gauges`` object."""
    answers = {}
    for indicator, gauge in catalogue.gauges():
        answer = random_answer(rng, indicator, gauge)
        if answer is not None:
            answers[gauge.code] = answer
    return answers
