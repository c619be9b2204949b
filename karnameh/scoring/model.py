"""A loaded catalogue: plain, immutable data, checked once by ``loader`` and then only read.

The classes mirror the file format (docs/catalogue-format.md); ``dump`` writes them back.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from .rules import Rule

STAR = "*"
Target = Decimal | Literal["*"] | None

LEVELS = ("national", "provincial")
KINDS = ("general", "specific")
NOT_APPLICABLE_MODES = ("axis", "total")
UNITS = ("percent", "number", "days", "score", "rial")
FIELD_TYPES = ("number", "integer", "percent", "boolean", "choice")
COLUMN_TYPES = (*FIELD_TYPES, "text")
AGGREGATES = ("count", "sum", "mean", "min", "max", "percent")

# Persian names for what people read: units, option codes and rule kinds.
UNIT_LABELS = {
    "percent": "درصد",
    "number": "تعداد",
    "days": "روز",
    "score": "امتیاز",
    "rial": "ریال",
}
FIELD_TYPE_LABELS = {
    "number": "عدد",
    "integer": "عدد صحیح",
    "percent": "درصد",
    "boolean": "بلی/خیر",
    "choice": "گزینه‌ای",
    "text": "متن",
}
OPTION_LABELS = {
    "yes": "بلی",
    "no": "خیر",
    "complete": "کامل",
    "partial": "ناقص",
    "not_done": "انجام نشده",
    "not_applicable": "عدم مصداق",
}


@dataclass(frozen=True, slots=True)
class Aggregate:
    """A field computed from a list table: ``mean`` of a column, ``percent`` of rows equal to …"""

    table: str
    function: str
    column: str | None = None
    equals: str | bool | None = None


@dataclass(frozen=True, slots=True)
class Field:
    code: str
    label: str
    type: str
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    options: dict[str, Decimal] | None = None
    labels: dict[str, str] = field(default_factory=dict)
    previous: str | None = None
    source: Aggregate | None = None
    help: str = ""

    def option_label(self, code: str) -> str:
        return self.labels.get(code) or OPTION_LABELS.get(code, code)


@dataclass(frozen=True, slots=True)
class Column:
    code: str
    label: str
    type: str
    options: tuple[str, ...] = ()
    labels: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Table:
    code: str
    title: str
    columns: tuple[Column, ...]


@dataclass(frozen=True, slots=True)
class Gauge:
    code: str
    title: str
    max_score: Decimal
    method: str
    rule: "Rule"
    fields: tuple[Field, ...] = ()
    allow_not_applicable: bool = False
    target: Target = None
    assessor: str | None = None
    measure: str = ""
    evidence: str = ""
    note: str = ""
    tables: tuple[Table, ...] = ()

    def field(self, code: str) -> Field | None:
        return next((f for f in self.fields if f.code == code), None)


@dataclass(frozen=True, slots=True)
class Indicator:
    code: str
    title: str
    max_score: Decimal
    gauges: tuple[Gauge, ...]
    unit: str | None = None
    target: Target = None
    assessor: str | None = None
    evidence: str = ""
    legal_basis: str = ""
    allow_not_applicable: bool = False
    note: str = ""


@dataclass(frozen=True, slots=True)
class Axis:
    code: str
    title: str
    max_score: Decimal
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True, slots=True)
class Catalogue:
    code: str
    title: str
    year: int
    level: str
    kind: str
    not_applicable: str
    axes: tuple[Axis, ...]
    declared_max: Decimal | None = None
    note: str = ""
    source: str = ""

    @property
    def max_score(self) -> Decimal:
        """The catalogue's total: as declared, or the sum of its axes."""
        if self.declared_max is not None:
            return self.declared_max
        return sum((axis.max_score for axis in self.axes), Decimal(0))

    def indicators(self) -> list[Indicator]:
        return [indicator for axis in self.axes for indicator in axis.indicators]

    def gauges(self) -> list[tuple[Indicator, Gauge]]:
        return [(i, g) for axis in self.axes for i in axis.indicators for g in i.gauges]

    def gauge(self, code: str) -> tuple[Indicator, Gauge] | None:
        return next(((i, g) for i, g in self.gauges() if g.code == code), None)


def effective_target(indicator: Indicator, gauge: Gauge) -> Target:
    """A gauge's own target wins over its indicator's."""
    return gauge.target if gauge.target is not None else indicator.target


def allows_not_applicable(indicator: Indicator, gauge: Gauge) -> bool:
    """May an agency answer this gauge «not applicable»? If the gauge or its indicator allows it."""
    return gauge.allow_not_applicable or indicator.allow_not_applicable


def effective_assessor(indicator: Indicator, gauge: Gauge) -> str | None:
    return gauge.assessor if gauge.assessor is not None else indicator.assessor
