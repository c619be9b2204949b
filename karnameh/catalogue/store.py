"""Catalogues between the database and the file format, with nothing lost either way.

- ``to_data(model)`` gives the catalogue in the file's shape; ``catalogue_from_data`` checks it.
- ``save_new(data or engine catalogue, …)`` writes every row (one bulk insert per level).
- ``engine_catalogue(model)`` gives the compiled engine catalogue, cached in the process by
  version, so browsing and trying rules do not recompile a hundred rules on every request.

What is written comes from the engine's own ``gauge_to_data`` (the shape ``dump`` writes), so a
rule is stored exactly as the export will write it again.
"""

import threading
from collections import OrderedDict
from collections.abc import Hashable
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from karnameh.common.text import persian_digits
from karnameh.scoring import Catalogue as EngineCatalogue
from karnameh.scoring import CatalogueError, catalogue_from_data
from karnameh.scoring import Gauge as EngineGauge
from karnameh.scoring.dump import (
    axis_to_data,
    catalogue_header,
    catalogue_to_data,
    dump_data,
    gauge_to_data,
)
from karnameh.scoring.loader import Problem
from karnameh.scoring.model import STAR, Target
from karnameh.scoring.numbers import fa_text

from .models import Axis, Catalogue, ChecklistItem, Gauge, GaugeField, Indicator, Status

_SCORE_LIMIT = Decimal(10) ** 7  # max_digits 9, decimal_places 2
_NUMBER_LIMIT = Decimal(10) ** 18  # max_digits 24, decimal_places 6
_TITLE_LENGTH = 500
_ITEM_CODE_LENGTH = 100


# --- Reading -----------------------------------------------------------------------------


def _target(value: Decimal | None, agreed: bool) -> Target:
    return "*" if agreed else value


# The rows are read back as the loader's input, not as a file a person reads: every key is
# given, empty ones as None, and the engine checks the whole again (catalogue_from_data).


def _field_data(field: GaugeField) -> dict[str, Any]:
    data = {
        "code": field.code,
        "label": field.label,
        "type": field.type,
        "min": field.minimum,
        "max": field.maximum,
        "labels": field.labels,
        "previous": field.previous or None,
        "help": field.help,
    }
    # Only a choice field has options, and only a computed field a source.
    if field.options is not None:
        data["options"] = field.options
    if field.source is not None:
        data["from"] = field.source
    return data


def _gauge_data(gauge: Gauge) -> dict[str, Any]:
    items = [
        {"code": item.code, "title": item.title, "points": item.points}
        for item in gauge.checklist_items.all()
    ]
    return {
        "code": gauge.code,
        "title": gauge.title,
        "max_score": gauge.max_score,
        "method": gauge.method,
        "target": _target(gauge.target_value, gauge.target_agreed),
        "assessor": gauge.assessor_code or None,
        "measure": gauge.measure,
        "evidence": gauge.evidence,
        "note": gauge.note,
        "allow_not_applicable": gauge.allow_not_applicable,
        "tables": gauge.tables,
        "fields": [_field_data(f) for f in gauge.fields.all()],
        # Checklist items are rows of their own; the rule takes them back.
        "rule": {**gauge.rule, "items": items} if items else gauge.rule,
    }


def _indicator_data(indicator: Indicator) -> dict[str, Any]:
    return {
        "code": indicator.code,
        "title": indicator.title,
        "unit": indicator.unit or None,
        "target": _target(indicator.target_value, indicator.target_agreed),
        "max_score": indicator.max_score,
        "assessor": indicator.assessor_code or None,
        "evidence": indicator.evidence,
        "legal_basis": indicator.legal_basis,
        "allow_not_applicable": indicator.allow_not_applicable,
        "note": indicator.note,
        "gauges": [_gauge_data(g) for g in indicator.gauges.all()],
    }


def _axes(catalogue: Catalogue) -> list[Axis]:
    # Five queries whatever the size of the catalogue: axes, indicators, gauges, fields, items.
    gauges = Gauge.objects.prefetch_related("fields", "checklist_items")
    indicators = Indicator.objects.prefetch_related(Prefetch("gauges", queryset=gauges))
    return list(
        Axis.objects.filter(catalogue=catalogue).prefetch_related(
            Prefetch("indicators", queryset=indicators)
        )
    )


def to_data(catalogue: Catalogue) -> dict[str, Any]:
    """The catalogue in the file's shape (``catalogue_from_data`` reads it back)."""
    data = catalogue_header(catalogue)
    data["axes"] = [
        axis_to_data(axis, [_indicator_data(i) for i in axis.indicators.all()])
        for axis in _axes(catalogue)
    ]
    return data


# --- Export


def export_yaml(catalogue: Catalogue) -> str:
    """The catalogue file (YAML) of a catalogue in the database."""
    return dump_data(catalogue_to_data(engine_catalogue(catalogue)))


# --- The compiled catalogue, cached --------------------------------------------------------

_CACHE_SIZE = 32
_cache: OrderedDict[Hashable, EngineCatalogue] = OrderedDict()
_cache_lock = threading.Lock()


def _cache_key(catalogue: Catalogue) -> Hashable:
    # The version changes with every change. The creation time guards against a database that
    # was emptied and filled again (tests, a reset demo): the same id and version may then
    # name another catalogue.
    return (catalogue.pk, catalogue.version, catalogue.created_at)


def engine_catalogue(catalogue: Catalogue) -> EngineCatalogue:
    """The compiled engine catalogue of this row, built once per version in each process."""
    key = _cache_key(catalogue)
    with _cache_lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
    compiled = catalogue_from_data(to_data(catalogue), name=catalogue.code)
    with _cache_lock:
        _cache[key] = compiled
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return compiled


# --- Writing -----------------------------------------------------------------------------


def _fits(value: Decimal | None, limit: Decimal, places: int) -> bool:
    if value is None:
        return True
    return abs(value) < limit and value == value.quantize(Decimal(1).scaleb(-places))


def check_fits(engine: EngineCatalogue) -> None:
    """Refuse what the columns could not hold exactly: nothing is rounded on the way in."""
    problems: list[Problem] = []

    def check(place: str, value: Decimal | None, *, score: bool = False) -> None:
        limit, places = (_SCORE_LIMIT, 2) if score else (_NUMBER_LIMIT, 6)
        if not _fits(value, limit, places):
            problems.append(
                Problem(
                    place,
                    _("The number %(number)s is too large or has too many decimals to keep.")
                    % {"number": persian_digits(value)},
                )
            )

    if len(engine.title) > _TITLE_LENGTH:
        problems.append(
            Problem(
                "",
                _("The title is longer than %(count)s characters.")
                % {"count": persian_digits(_TITLE_LENGTH)},
            )
        )
    check("سقف کل", engine.declared_max, score=True)
    for axis in engine.axes:
        check(f"محور {fa_text(axis.code)}", axis.max_score, score=True)
        for indicator in axis.indicators:
            place = f"شاخص {fa_text(indicator.code)}"
            check(place, indicator.max_score, score=True)
            if isinstance(indicator.target, Decimal):
                check(place, indicator.target)
            for gauge in indicator.gauges:
                place = f"نماگر {fa_text(gauge.code)}"
                check(place, gauge.max_score, score=True)
                if isinstance(gauge.target, Decimal):
                    check(place, gauge.target)
                for field in gauge.fields:
                    check(place, field.minimum)
                    check(place, field.maximum)
                for item in getattr(gauge.rule, "items", ()):
                    check(place, item.points)
                    if len(item.code) > _ITEM_CODE_LENGTH:
                        problems.append(
                            Problem(
                                place,
                                _("The checklist item code “%(code)s” is too long.")
                                % {"code": item.code},
                            )
                        )
    if problems:
        raise CatalogueError(engine.code, problems)


def _target_columns(target: Target) -> dict[str, Any]:
    return {
        "target_value": target if isinstance(target, Decimal) else None,
        "target_agreed": target == STAR,
    }


def gauge_columns(indicator: Indicator, gauge: EngineGauge, order: int) -> Gauge:
    """An unsaved gauge row: numbers from the engine, tables and rule as the file writes them."""
    written = gauge_to_data(gauge)
    rule = dict(written["rule"])
    rule.pop("items", None)  # checklist items are rows of their own
    return Gauge(
        indicator=indicator,
        code=gauge.code,
        title=gauge.title,
        max_score=gauge.max_score,
        method=gauge.method,
        **_target_columns(gauge.target),
        assessor_code=gauge.assessor or "",
        measure=gauge.measure,
        evidence=gauge.evidence,
        note=gauge.note,
        allow_not_applicable=gauge.allow_not_applicable,
        tables=written.get("tables", []),
        rule=rule,
        order=order,
    )


def gauge_children(row: Gauge, gauge: EngineGauge) -> tuple[list[GaugeField], list[ChecklistItem]]:
    """Unsaved field and checklist rows of a saved gauge row."""
    written = {f["code"]: f for f in gauge_to_data(gauge).get("fields", [])}
    fields = [
        GaugeField(
            gauge=row,
            code=field.code,
            label=field.label,
            type=field.type,
            minimum=field.minimum,
            maximum=field.maximum,
            options=written[field.code].get("options"),
            labels=dict(field.labels),
            previous=field.previous or "",
            source=written[field.code].get("from"),
            help=field.help,
            order=order,
        )
        for order, field in enumerate(gauge.fields, start=1)
    ]
    items = [
        ChecklistItem(gauge=row, code=item.code, title=item.title, points=item.points, order=order)
        for order, item in enumerate(getattr(gauge.rule, "items", ()), start=1)
    ]
    return fields, items


def _save_content(catalogue: Catalogue, engine: EngineCatalogue) -> None:
    axes = Axis.objects.bulk_create(
        Axis(
            catalogue=catalogue,
            code=axis.code,
            title=axis.title,
            max_score=axis.max_score,
            order=order,
        )
        for order, axis in enumerate(engine.axes, start=1)
    )
    indicator_rows: list[Indicator] = []
    sources = []
    for axis_row, axis in zip(axes, engine.axes, strict=True):
        for order, indicator in enumerate(axis.indicators, start=1):
            indicator_rows.append(
                Indicator(
                    axis=axis_row,
                    code=indicator.code,
                    title=indicator.title,
                    unit=indicator.unit or "",
                    **_target_columns(indicator.target),
                    max_score=indicator.max_score,
                    assessor_code=indicator.assessor or "",
                    evidence=indicator.evidence,
                    legal_basis=indicator.legal_basis,
                    allow_not_applicable=indicator.allow_not_applicable,
                    note=indicator.note,
                    order=order,
                )
            )
            sources.append(indicator)
    indicator_rows = Indicator.objects.bulk_create(indicator_rows)
    gauge_rows: list[Gauge] = []
    gauges: list[EngineGauge] = []
    for indicator_row, indicator in zip(indicator_rows, sources, strict=True):
        for order, gauge in enumerate(indicator.gauges, start=1):
            gauge_rows.append(gauge_columns(indicator_row, gauge, order))
            gauges.append(gauge)
    gauge_rows = Gauge.objects.bulk_create(gauge_rows)
    fields: list[GaugeField] = []
    items: list[ChecklistItem] = []
    for gauge_row, gauge in zip(gauge_rows, gauges, strict=True):
        more_fields, more_items = gauge_children(gauge_row, gauge)
        fields += more_fields
        items += more_items
    GaugeField.objects.bulk_create(fields)
    ChecklistItem.objects.bulk_create(items)


def _header(engine: EngineCatalogue) -> dict[str, Any]:
    return {
        "title": engine.title,
        "year": engine.year,
        "level": engine.level,
        "kind": engine.kind,
        "not_applicable": engine.not_applicable,
        "declared_max": engine.declared_max,
        "note": engine.note,
        "source": engine.source,
    }


def compile_data(source: dict[str, Any] | EngineCatalogue, name: str) -> EngineCatalogue:
    """The engine catalogue, checked by the engine and against the columns."""
    if isinstance(source, EngineCatalogue):
        engine = source
    else:
        engine = catalogue_from_data(source, name=name)
    check_fits(engine)
    return engine


def save_new(
    source: dict[str, Any] | EngineCatalogue,
    *,
    province: Any = None,
    copied_from: Catalogue | None = None,
    status: str = Status.DRAFT,
) -> Catalogue:
    """A new catalogue with every row; ``CatalogueError`` if the data is not a valid catalogue.

    Call it inside a transaction: a failure half-way must leave nothing behind.
    """
    engine = compile_data(source, name="catalogue")
    catalogue = Catalogue.objects.create(
        code=engine.code,
        province=province,
        copied_from=copied_from,
        status=status,
        **_header(engine),
    )
    _save_content(catalogue, engine)
    return catalogue


def replace_content(catalogue: Catalogue, engine: EngineCatalogue) -> None:
    """Put another content (same code) in a draft: its axes go, the engine's come."""
    check_fits(engine)
    Axis.objects.filter(catalogue=catalogue).delete()
    for field, value in _header(engine).items():
        setattr(catalogue, field, value)
    _save_content(catalogue, engine)
