"""Writing a catalogue back to the file format: loading what is written gives the same catalogue.

Keys come in the contract's order; optional keys are written only when they say something.
"""

from decimal import Decimal
from typing import Any

import yaml

from .loader import FORMAT
from .model import Catalogue, Column, Field, Gauge, Indicator, Table, Target
from .numbers import written


def _target(value: Target) -> Any:
    return written(value) if isinstance(value, Decimal) else value


def optional(data: dict[str, Any], **values: Any) -> dict[str, Any]:
    """Adds the values that say something: not None, not empty."""
    data.update(
        {
            key: value
            for key, value in values.items()
            if value is not None
            and value != ""
            and not (isinstance(value, list | tuple | dict) and not value)
        }
    )
    return data


def _field(field: Field) -> dict[str, Any]:
    data: dict[str, Any] = {"code": field.code, "label": field.label, "type": field.type}
    if field.minimum is not None:
        data["min"] = written(field.minimum)
    if field.maximum is not None:
        data["max"] = written(field.maximum)
    if field.options is not None:
        data["options"] = {code: written(value) for code, value in field.options.items()}
    source = None
    if field.source is not None:
        source = optional(
            {"table": field.source.table, "aggregate": field.source.function},
            column=field.source.column,
            equals=field.source.equals,
        )
    return optional(
        data,
        labels=dict(field.labels),
        previous=field.previous,
        **{"from": source},
        help=field.help,
    )


def _column(column: Column) -> dict[str, Any]:
    data: dict[str, Any] = {"code": column.code, "label": column.label, "type": column.type}
    return optional(data, options=list(column.options), labels=dict(column.labels))


def _table(table: Table) -> dict[str, Any]:
    return {
        "code": table.code,
        "title": table.title,
        "columns": [_column(c) for c in table.columns],
    }


def gauge_to_data(gauge: Gauge) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": gauge.code,
        "title": gauge.title,
        "max_score": written(gauge.max_score),
        "method": gauge.method,
    }
    optional(
        data,
        target=_target(gauge.target),
        assessor=gauge.assessor,
        measure=gauge.measure,
        evidence=gauge.evidence,
        note=gauge.note,
    )
    if gauge.allow_not_applicable:
        data["allow_not_applicable"] = True
    optional(
        data,
        tables=[_table(t) for t in gauge.tables],
        fields=[_field(f) for f in gauge.fields],
    )
    data["rule"] = gauge.rule.to_data()
    return data


def indicator_to_data(indicator: Indicator) -> dict[str, Any]:
    data = {
        "code": indicator.code,
        "title": indicator.title,
        "unit": indicator.unit,
        "target": _target(indicator.target),
        "max_score": written(indicator.max_score),
        "assessor": indicator.assessor,
        "evidence": indicator.evidence,
        "legal_basis": indicator.legal_basis,
        "allow_not_applicable": indicator.allow_not_applicable,
    }
    optional(data, note=indicator.note)
    data["gauges"] = [gauge_to_data(g) for g in indicator.gauges]
    return data


def catalogue_header(catalogue: Any) -> dict[str, Any]:
    """The catalogue's own keys, everything but its axes.

    Reads attributes only, so the database's catalogue rows (same names) are written by the
    same code as the engine's catalogues.
    """
    data: dict[str, Any] = {
        "format": FORMAT,
        "code": catalogue.code,
        "title": catalogue.title,
        "year": catalogue.year,
        "level": catalogue.level,
        "kind": catalogue.kind,
        "not_applicable": catalogue.not_applicable,
    }
    if catalogue.declared_max is not None:
        data["max_score"] = written(catalogue.declared_max)
    return optional(data, source=catalogue.source, note=catalogue.note)


def axis_to_data(axis: Any, indicators: list[dict[str, Any]]) -> dict[str, Any]:
    """An axis with its indicators already written (engine or database axis alike)."""
    return {
        "code": axis.code,
        "title": axis.title,
        "max_score": written(axis.max_score),
        "indicators": indicators,
    }


def catalogue_to_data(catalogue: Catalogue) -> dict[str, Any]:
    """The catalogue as plain data in the file's shape (what YAML export writes)."""
    data = catalogue_header(catalogue)
    data["axes"] = [
        axis_to_data(axis, [indicator_to_data(i) for i in axis.indicators])
        for axis in catalogue.axes
    ]
    return data


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    pass


def _text(dumper: Any, value: str) -> Any:
    # Long notes and legal bases read best as blocks; one-line text stays on its line.
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def dump_data(data: dict[str, Any]) -> str:
    return yaml.dump(
        data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000, indent=2
    )


def dump_catalogue(catalogue: Catalogue) -> str:
    """The catalogue as a YAML file (UTF-8 text)."""
    return dump_data(catalogue_to_data(catalogue))
