"""Weights per agency type, and a cycle's composition of general and specific parts.

Beyond the CLI contract, used by cycles:

- A weight set gives each general indicator a weight for one agency type (seed 000 item 2:
  weights "in proportion to the type of services and missions"). The weighted total is
  ``Σ w·score / Σ w·max × catalogue max`` over the applicable indicators; with every weight 1
  and nothing not applicable it is the plain sum.
- A composition turns the parts of an agency's evaluation (general, specific) into its final
  score: each part as a percentage of its maximum, weighted (e.g. 60 general + 40 specific),
  giving a final score out of 100.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from .engine import NOT_APPLICABLE, CatalogueResult
from .model import Catalogue
from .numbers import HUNDRED, ONE, ZERO, fa, round2, to_decimal


class WeightError(ValueError):
    """A weight set or composition that cannot be used; ``message`` is Persian."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def check_weights(catalogue: Catalogue, weights: Mapping[str, object]) -> dict[str, Decimal]:
    """Weights by indicator code as Decimals; an indicator not named weighs 1.

    Refuses unknown indicator codes and negative or non-numeric weights, naming them.
    """
    known = {indicator.code for indicator in catalogue.indicators()}
    checked: dict[str, Decimal] = {}
    for code, raw in weights.items():
        if code not in known:
            raise WeightError(f"شاخص «{code}» در شاخص‌نامهٔ «{catalogue.code}» نیست")
        number = to_decimal(raw)
        if number is None or number < 0:
            raise WeightError(f"وزن شاخص «{code}» باید عددی نامنفی باشد، نه «{raw}»")
        checked[code] = number
    return {
        indicator.code: checked.get(indicator.code, ONE) for indicator in catalogue.indicators()
    }


@dataclass(frozen=True, slots=True)
class Weighted:
    total: Decimal
    max: Decimal
    explanation: str


def weighted_total(result: CatalogueResult, weights: Mapping[str, Decimal]) -> Weighted:
    """``Σ w·score / Σ w·max × catalogue max`` over applicable indicators, to two decimals.

    ``weights`` comes from ``check_weights`` (every indicator has one). Not-applicable
    indicators are left out of both sums, so their weight goes nowhere.
    """
    earned = possible = ZERO
    for indicator in result.indicators():
        if indicator.status == NOT_APPLICABLE:
            continue
        weight = weights.get(indicator.code, ONE)
        earned += weight * indicator.score
        possible += weight * indicator.applicable_max
    if possible == ZERO:
        return Weighted(ZERO, result.max, "هیچ شاخص قابل‌اعمالی با وزن مثبت ندارد")
    total = round2(earned / possible * result.max)
    text = (
        f"Σ وزن×امتیاز {fa(round2(earned))} ÷ Σ وزن×سقف {fa(round2(possible))} "
        f"× {fa(result.max)} = {fa(total)}"
    )
    return Weighted(total, result.max, text)


@dataclass(frozen=True, slots=True)
class Part:
    """One part of an agency's evaluation: its points and the most it could get."""

    score: Decimal
    max: Decimal


@dataclass(frozen=True, slots=True)
class Composed:
    final: Decimal
    percents: dict[str, Decimal]
    weights: dict[str, Decimal]
    explanation: str


PART_LABELS = {"general": "عمومی", "specific": "اختصاصی"}


def check_composition(composition: Mapping[str, object]) -> dict[str, Decimal]:
    """Percent weights by part name (e.g. ``{"general": 60, "specific": 40}``), summing to 100."""
    if not composition:
        raise WeightError("ترکیب امتیاز دست‌کم یک بخش می‌خواهد")
    checked: dict[str, Decimal] = {}
    for part, raw in composition.items():
        number = to_decimal(raw)
        if number is None or number < 0:
            raise WeightError(f"وزن بخش «{PART_LABELS.get(part, part)}» باید عددی نامنفی باشد")
        checked[part] = number
    total = sum(checked.values(), ZERO)
    if total != HUNDRED:
        raise WeightError(f"جمع وزن بخش‌ها باید ۱۰۰ باشد، نه {fa(total)}")
    return checked


def compose(composition: Mapping[str, Decimal], parts: Mapping[str, Part]) -> Composed:
    """The final score out of 100: Σ weight × (part score ÷ part max × 100) ÷ Σ weight.

    A part the agency does not have (no specific indicators, say) is left out and the weights
    of the parts it has are taken in proportion; the explanation says so.
    """
    present = {name: part for name, part in parts.items() if name in composition and part.max > 0}
    weight_sum = sum((composition[name] for name in present), ZERO)
    if not present or weight_sum == ZERO:
        return Composed(ZERO, {}, {}, "هیچ بخشی با وزن مثبت امتیاز ندارد")
    percents = {name: part.score / part.max * HUNDRED for name, part in present.items()}
    final = round2(sum((composition[n] * percents[n] for n in present), ZERO) / weight_sum)
    pieces = [
        f"{PART_LABELS.get(n, n)} {fa(round2(percents[n]))}٪ × {fa(composition[n])}"
        for n in present
    ]
    text = " + ".join(pieces)
    text = f"({text}) ÷ {fa(weight_sum)} = {fa(final)}"
    missing = [PART_LABELS.get(n, n) for n in composition if n not in present]
    if missing:
        text += f" (بخش {'، '.join(missing)} ندارد؛ وزن بقیه به نسبت)"
    weights = {name: composition[name] for name in present}
    return Composed(final, {n: round2(p) for n, p in percents.items()}, weights, text)
