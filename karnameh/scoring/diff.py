"""What changed between two catalogues: axes, indicators and gauges added, removed or changed.

Items are matched by code. For each changed item the list says what changed, old → new, in
Persian text for staff (a new year starts as a copy of last year's, and the council wants to
see exactly where the copy departs from it). Changes of a maximum are flagged: they move
points between parts of the evaluation.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .dump import gauge_to_data
from .model import FIELD_TYPE_LABELS, STAR, UNIT_LABELS, Axis, Catalogue, Gauge, Indicator, Target
from .numbers import fa, fa_text
from .rules import KIND_LABELS

ADDED = "added"
REMOVED = "removed"
CHANGED = "changed"

AXIS = "axis"
INDICATOR = "indicator"
GAUGE = "gauge"

LABELS = {
    "title": "عنوان",
    "year": "سال",
    "level": "سطح",
    "kind": "نوع",
    "not_applicable": "امتیاز عدم مصداق",
    "max_score": "سقف امتیاز",
    "note": "توضیح",
    "source": "منبع",
    "unit": "واحد سنجش",
    "target": "هدف کمی",
    "assessor": "مرجع ارزیابی",
    "evidence": "مستندات",
    "legal_basis": "مستندات شاخص",
    "allow_not_applicable": "پذیرش عدم مصداق",
    "method": "نحوه سنجش",
    "measure": "سنجه",
    "fields": "فیلدها",
    "tables": "جدول‌های اطلاعاتی",
    "rule": "قاعده",
}
_WORDS = {
    "national": "ملی",
    "provincial": "استانی",
    "general": "عمومی",
    "specific": "اختصاصی",
    "axis": "در محور",
    "total": "در کل",
}
NONE = "—"


@dataclass(frozen=True, slots=True)
class Change:
    """One property of an item, before and after, as text for a person."""

    key: str
    label: str
    old: str
    new: str

    @property
    def is_max(self) -> bool:
        return self.key == "max_score"


@dataclass(frozen=True, slots=True)
class Difference:
    """One axis, indicator or gauge that is new, gone, or not the same."""

    level: str
    code: str
    title: str
    status: str
    old_max: Decimal | None
    new_max: Decimal | None
    changes: tuple[Change, ...] = ()

    @property
    def max_changed(self) -> bool:
        """An item in both catalogues whose maximum is not the same (points moved)."""
        return self.status == CHANGED and self.old_max != self.new_max


@dataclass(frozen=True, slots=True)
class CatalogueDiff:
    old_code: str
    new_code: str
    old_max: Decimal
    new_max: Decimal
    changes: tuple[Change, ...]
    items: tuple[Difference, ...]

    @property
    def added(self) -> list[Difference]:
        return [item for item in self.items if item.status == ADDED]

    @property
    def removed(self) -> list[Difference]:
        return [item for item in self.items if item.status == REMOVED]

    @property
    def changed(self) -> list[Difference]:
        return [item for item in self.items if item.status == CHANGED]

    @property
    def max_changes(self) -> list[Difference]:
        return [item for item in self.items if item.max_changed]

    @property
    def is_empty(self) -> bool:
        return not self.changes and not self.items

    def find(self, level: str, code: str) -> Difference | None:
        return next((i for i in self.items if i.level == level and i.code == code), None)


# --- Values as text


def _text(value: str | None) -> str:
    return fa_text(value) if value else NONE


def _target(value: Target) -> str:
    if value is None:
        return NONE
    if value == STAR:
        return "تفاهم‌نامه"
    assert isinstance(value, Decimal)
    return fa(value)


def _flag(value: bool) -> str:
    return "بلی" if value else "خیر"


def _unit(value: str | None) -> str:
    return UNIT_LABELS.get(value, value) if value else NONE


def _fields(gauge: Gauge) -> str:
    if not gauge.fields:
        return NONE
    return "، ".join(
        f"{field.label} ({field.code}، {FIELD_TYPE_LABELS.get(field.type, field.type)})"
        for field in gauge.fields
    )


def _tables(gauge: Gauge) -> str:
    if not gauge.tables:
        return NONE
    return "؛ ".join(
        f"{table.title}: " + "، ".join(column.label for column in table.columns)
        for table in gauge.tables
    )


def _rule(gauge: Gauge) -> str:
    kind = gauge.rule.kind
    return fa_text(f"{KIND_LABELS.get(kind, kind)}: " + " / ".join(gauge.rule.describe()))


# --- Comparing

Compared = tuple[str, Callable[[Any], object], Callable[[Any], str]]


def _compare(old: Any, new: Any, keys: Iterable[Compared]) -> tuple[Change, ...]:
    """Changes of the keys whose compared values differ, each as old → new text."""
    return tuple(
        Change(key, LABELS[key], show(old), show(new))
        for key, value, show in keys
        if value(old) != value(new)
    )


def _attr(name: str) -> Callable[[Any], object]:
    return lambda item: getattr(item, name)


def _written(key: str) -> Callable[[Gauge], object]:
    # Fields, tables and rules are compared as the file writes them: equal files, equal rules.
    return lambda gauge: gauge_to_data(gauge).get(key)


_AXIS_KEYS: tuple[Compared, ...] = (
    ("title", _attr("title"), lambda a: _text(a.title)),
    ("max_score", _attr("max_score"), lambda a: fa(a.max_score)),
)
_INDICATOR_KEYS: tuple[Compared, ...] = (
    ("title", _attr("title"), lambda i: _text(i.title)),
    ("max_score", _attr("max_score"), lambda i: fa(i.max_score)),
    ("unit", _attr("unit"), lambda i: _unit(i.unit)),
    ("target", _attr("target"), lambda i: _target(i.target)),
    ("assessor", _attr("assessor"), lambda i: _text(i.assessor)),
    ("evidence", _attr("evidence"), lambda i: _text(i.evidence)),
    ("legal_basis", _attr("legal_basis"), lambda i: _text(i.legal_basis)),
    (
        "allow_not_applicable",
        _attr("allow_not_applicable"),
        lambda i: _flag(i.allow_not_applicable),
    ),
    ("note", _attr("note"), lambda i: _text(i.note)),
)
_GAUGE_KEYS: tuple[Compared, ...] = (
    ("title", _attr("title"), lambda g: _text(g.title)),
    ("max_score", _attr("max_score"), lambda g: fa(g.max_score)),
    ("method", _attr("method"), lambda g: _text(g.method)),
    ("target", _attr("target"), lambda g: _target(g.target)),
    ("assessor", _attr("assessor"), lambda g: _text(g.assessor)),
    ("measure", _attr("measure"), lambda g: _text(g.measure)),
    ("evidence", _attr("evidence"), lambda g: _text(g.evidence)),
    ("note", _attr("note"), lambda g: _text(g.note)),
    (
        "allow_not_applicable",
        _attr("allow_not_applicable"),
        lambda g: _flag(g.allow_not_applicable),
    ),
    ("fields", _written("fields"), _fields),
    ("tables", _written("tables"), _tables),
    ("rule", _written("rule"), _rule),
)
_CATALOGUE_KEYS: tuple[Compared, ...] = (
    ("title", _attr("title"), lambda c: _text(c.title)),
    ("year", _attr("year"), lambda c: fa(c.year)),
    ("level", _attr("level"), lambda c: _WORDS.get(c.level, c.level)),
    ("kind", _attr("kind"), lambda c: _WORDS.get(c.kind, c.kind)),
    ("not_applicable", _attr("not_applicable"), lambda c: _WORDS.get(c.not_applicable, "")),
    ("max_score", _attr("max_score"), lambda c: fa(c.max_score)),
    ("note", _attr("note"), lambda c: _text(c.note)),
    ("source", _attr("source"), lambda c: _text(c.source)),
)


def _sort_key(item: Difference) -> tuple[tuple[int, int, str], ...]:
    # 2.10 comes after 2.9: codes are compared part by part, numbers as numbers.
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part) for part in item.code.split(".")
    )


Item = Axis | Indicator | Gauge


def _pair(
    level: str,
    old: dict[str, Item],
    new: dict[str, Item],
    keys: tuple[Compared, ...],
) -> list[Difference]:
    found: list[Difference] = []
    for code, item in old.items():
        if code not in new:
            found.append(Difference(level, code, item.title, REMOVED, item.max_score, None))
    for code, item in new.items():
        before = old.get(code)
        if before is None:
            found.append(Difference(level, code, item.title, ADDED, None, item.max_score))
            continue
        changes = _compare(before, item, keys)
        if changes:
            found.append(
                Difference(
                    level, code, item.title, CHANGED, before.max_score, item.max_score, changes
                )
            )
    return found


def diff_catalogues(old: Catalogue, new: Catalogue) -> CatalogueDiff:
    """Every difference from ``old`` to ``new``, in code order (axis, its indicators, …)."""
    items = [
        *_pair(AXIS, {a.code: a for a in old.axes}, {a.code: a for a in new.axes}, _AXIS_KEYS),
        *_pair(
            INDICATOR,
            {i.code: i for i in old.indicators()},
            {i.code: i for i in new.indicators()},
            _INDICATOR_KEYS,
        ),
        *_pair(
            GAUGE,
            {g.code: g for _i, g in old.gauges()},
            {g.code: g for _i, g in new.gauges()},
            _GAUGE_KEYS,
        ),
    ]
    items.sort(key=_sort_key)
    return CatalogueDiff(
        old_code=old.code,
        new_code=new.code,
        old_max=old.max_score,
        new_max=new.max_score,
        changes=_compare(old, new, _CATALOGUE_KEYS),
        items=tuple(items),
    )
