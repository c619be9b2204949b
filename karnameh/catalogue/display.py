"""A catalogue as staff read it: labels in Persian, targets and rules in words.

Pages show the compiled engine catalogue (cached), so a page of a hundred gauges costs no
query per gauge; this module turns its plain data into what the templates print.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from karnameh.scoring import Axis, Catalogue, Gauge, Indicator
from karnameh.scoring.model import (
    FIELD_TYPE_LABELS,
    OPTION_LABELS,
    STAR,
    UNIT_LABELS,
    Target,
    effective_assessor,
    effective_target,
)
from karnameh.scoring.rules import KIND_LABELS

AGGREGATE_LABELS = {
    "count": _("number of rows"),
    "sum": _("sum"),
    "mean": _("mean"),
    "min": _("minimum"),
    "max": _("maximum"),
    "percent": _("percentage of rows"),
}
MOU = _("set by the MoU")


def target_text(target: Target) -> Any:
    """«تفاهم‌نامه» for "*", the number otherwise; None when there is no target."""
    if target == STAR:
        return MOU
    return target


def unit_text(unit: str | None) -> str:
    return UNIT_LABELS.get(unit, unit) if unit else ""


@dataclass
class FieldView:
    code: str
    label: str
    type: str
    type_label: Any
    minimum: Decimal | None
    maximum: Decimal | None
    options: list[tuple[str, Decimal]]
    previous: str
    source: str
    help: str


@dataclass
class TableView:
    code: str
    title: str
    columns: list[tuple[str, Any, list[str]]]


@dataclass
class GaugeView:
    indicator: Indicator
    gauge: Gauge
    target: Any
    own_target: bool
    assessor: str
    kind_label: str
    rule_lines: list[str]
    fields: list[FieldView] = field(default_factory=list)
    tables: list[TableView] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.gauge.code


@dataclass
class IndicatorView:
    indicator: Indicator
    gauges: list[GaugeView]
    gauges_max: Decimal
    target: Any
    unit: str
    assessor: str


@dataclass
class AxisView:
    axis: Axis
    indicators: list[IndicatorView]
    indicators_max: Decimal


def _source_text(gauge: Gauge, code: str) -> str:
    found = gauge.field(code)
    if found is None or found.source is None:
        return ""
    source = found.source
    table = next((t for t in gauge.tables if t.code == source.table), None)
    parts = [str(AGGREGATE_LABELS.get(source.function, source.function))]
    if source.column:
        column = (
            next((c for c in table.columns if c.code == source.column), None) if table else None
        )
        parts.append(f"«{column.label if column else source.column}»")
    if source.equals is not None:
        # The option as people read it: «بلی» for `yes`, the column's own label if it has one.
        equals = source.equals
        if isinstance(equals, bool):
            shown = OPTION_LABELS["yes" if equals else "no"]
        else:
            own = column.labels.get(equals) if column else None
            shown = own or OPTION_LABELS.get(equals, equals)
        parts.append(f"= «{shown}»")
    parts.append(f"({table.title if table else source.table})")
    return " ".join(parts)


def _field_views(gauge: Gauge) -> list[FieldView]:
    return [
        FieldView(
            code=f.code,
            label=f.label,
            type=f.type,
            type_label=FIELD_TYPE_LABELS.get(f.type, f.type),
            minimum=f.minimum,
            maximum=f.maximum,
            options=[(f.option_label(code), value) for code, value in (f.options or {}).items()],
            previous=f.previous or "",
            source=_source_text(gauge, f.code),
            help=f.help,
        )
        for f in gauge.fields
    ]


def _table_views(gauge: Gauge) -> list[TableView]:
    views = []
    for table in gauge.tables:
        columns = [
            (
                column.label,
                FIELD_TYPE_LABELS.get(column.type, column.type),
                [column.labels.get(o) or _option_label(o) for o in column.options],
            )
            for column in table.columns
        ]
        views.append(TableView(table.code, table.title, columns))
    return views


def _option_label(code: str) -> str:
    return OPTION_LABELS.get(code, code)


def gauge_view(indicator: Indicator, gauge: Gauge, bodies: dict[str, str]) -> GaugeView:
    assessor = effective_assessor(indicator, gauge)
    return GaugeView(
        indicator=indicator,
        gauge=gauge,
        target=target_text(effective_target(indicator, gauge)),
        own_target=gauge.target is not None,
        assessor=bodies.get(assessor, assessor) if assessor else "",
        kind_label=KIND_LABELS.get(gauge.rule.kind, gauge.rule.kind),
        rule_lines=gauge.rule.describe(),
        fields=_field_views(gauge),
        tables=_table_views(gauge),
    )


def catalogue_view(catalogue: Catalogue, bodies: dict[str, str]) -> list[AxisView]:
    axes = []
    for axis in catalogue.axes:
        indicators = [
            IndicatorView(
                indicator=indicator,
                gauges=[gauge_view(indicator, g, bodies) for g in indicator.gauges],
                gauges_max=sum((g.max_score for g in indicator.gauges), Decimal(0)),
                target=target_text(indicator.target),
                unit=unit_text(indicator.unit),
                assessor=bodies.get(indicator.assessor, indicator.assessor)
                if indicator.assessor
                else "",
            )
            for indicator in axis.indicators
        ]
        axes.append(
            AxisView(
                axis=axis,
                indicators=indicators,
                indicators_max=sum((i.max_score for i in axis.indicators), Decimal(0)),
            )
        )
    return axes


def assessor_codes(catalogue: Catalogue) -> set[str]:
    codes = set()
    for indicator, gauge in catalogue.gauges():
        for code in (indicator.assessor, gauge.assessor):
            if code:
                codes.add(code)
    return codes
