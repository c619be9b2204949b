"""Loading a catalogue file: every problem found, each with its place and line.

A catalogue decides agencies' scores, so loading is strict: unknown keys (a typo such as
``max_scor``), duplicate keys, maxima that do not add up and expressions that name undeclared
fields are all refused, and all of them are reported at once rather than one per attempt.
"""

import re
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from .expressions import RESERVED
from .files import MAX_PROBLEMS, unreadable
from .files import CatalogueError as CatalogueError  # re-exported: the loader's errors
from .files import Problem as Problem
from .files import read_yaml as read_yaml
from .model import (
    AGGREGATES,
    COLUMN_TYPES,
    FIELD_TYPES,
    KINDS,
    LEVELS,
    NOT_APPLICABLE_MODES,
    STAR,
    UNITS,
    Aggregate,
    Axis,
    Catalogue,
    Column,
    Field,
    Gauge,
    Indicator,
    Table,
    Target,
)
from .numbers import ZERO, fa, fa_text, round2, to_decimal
from .rules import RuleError, Spec, build_rule

FORMAT = "karnameh-catalogue/1"
CATALOGUE_CODE = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")
AXIS_CODE = re.compile(r"[A-Za-z0-9]{1,10}")
NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")
ASSESSOR = re.compile(r"[a-z][a-z0-9_-]{0,39}")

CATALOGUE_KEYS = {"format", "code", "title", "year", "level", "kind", "not_applicable", "axes"}
CATALOGUE_KEYS |= {"max_score", "note", "source"}
AXIS_KEYS = {"code", "title", "max_score", "indicators"}
INDICATOR_KEYS = {"code", "title", "unit", "target", "max_score", "assessor", "evidence"}
INDICATOR_KEYS |= {"legal_basis", "allow_not_applicable", "gauges", "note"}
GAUGE_KEYS = {"code", "title", "max_score", "method", "allow_not_applicable", "fields", "rule"}
GAUGE_KEYS |= {"target", "assessor", "measure", "evidence", "note", "tables"}
FIELD_KEYS = {"code", "label", "type", "min", "max", "options", "labels", "previous", "from"}
FIELD_KEYS |= {"help"}
TABLE_KEYS = {"code", "title", "columns"}
COLUMN_KEYS = {"code", "label", "type", "options", "labels"}
SOURCE_KEYS = {"table", "aggregate", "column", "equals"}


# --- Validation


class _Reader:
    """Reads one level of the file, recording problems instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, place: str, message: str, node: Any = None) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(place, message, getattr(node, "line", None)))

    def mapping(self, data: Any, place: str, allowed: set[str], required: set[str]) -> bool:
        if not isinstance(data, Mapping):
            self.add(place, "باید نگاشتی از کلید و مقدار باشد", data)
            return False
        for key in sorted(set(map(str, data)) - allowed):
            self.add(place, f"کلید ناشناختهٔ «{key}»", data)
        for key in sorted(required - set(data)):
            self.add(place, f"کلید «{key}» لازم است", data)
        return True

    def text(self, data: Mapping[str, Any], key: str, place: str, *, required: bool) -> str:
        value = data.get(key)
        if value is None:
            if required:
                self.add(place, f"«{key}» خالی است", data)
            return ""
        if not isinstance(value, str):
            self.add(place, f"«{key}» باید متن باشد", data)
            return ""
        value = value.strip()
        if required and not value:
            self.add(place, f"«{key}» خالی است", data)
        return value

    def code(
        self, data: Mapping[str, Any], pattern: re.Pattern[str], place: str, expected: str = ""
    ) -> str:
        value = data.get("code")
        if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
            self.add(place, f'کد «{value}» باید در گیومه نوشته شود (مثل "{value}")', data)
            return ""
        if not isinstance(value, str) or not pattern.fullmatch(value):
            hint = f"؛ باید به شکل {expected} باشد" if expected else ""
            self.add(place, f"کد «{value}» درست نیست{hint}", data)
            return ""
        return value

    def score(self, data: Mapping[str, Any], place: str, key: str = "max_score") -> Decimal:
        if key not in data:
            return ZERO  # reported once, as a missing key
        number = to_decimal(data.get(key)) if not isinstance(data.get(key), str) else None
        if number is None or number <= 0 or number != round2(number):
            self.add(place, f"«{key}» باید عددی مثبت با حداکثر دو رقم اعشار باشد", data)
            return ZERO
        return number

    def flag(self, data: Mapping[str, Any], key: str, place: str) -> bool:
        value = data.get(key, False)
        if not isinstance(value, bool):
            self.add(place, f"«{key}» باید true یا false باشد", data)
            return False
        return value

    def target(self, data: Mapping[str, Any], place: str) -> Target:
        value = data.get("target")
        if value is None or value == STAR:
            return value
        number = to_decimal(value) if not isinstance(value, str) else None
        if number is None or number < 0:
            self.add(place, f'هدف «{value}» باید عددی نامنفی یا "*" باشد', data)
            return None
        return number

    def assessor(self, data: Mapping[str, Any], place: str) -> str | None:
        value = data.get("assessor")
        if value is None:
            return None
        if not isinstance(value, str) or not ASSESSOR.fullmatch(value):
            self.add(place, f"کد مرجع ارزیابی «{value}» درست نیست", data)
            return None
        return value

    def labels(self, data: Mapping[str, Any], codes: set[str], place: str) -> dict[str, str]:
        labels = data.get("labels") or {}
        if not isinstance(labels, Mapping) or not all(
            isinstance(k, str) and k in codes and isinstance(v, str) for k, v in labels.items()
        ):
            self.add(place, "«labels» فقط برای گزینه‌های تعریف‌شده برچسب متنی می‌دهد", data)
            return {}
        return dict(labels)

    def column(self, data: Any, place: str) -> Column | None:
        if not self.mapping(data, place, COLUMN_KEYS, {"code", "label", "type"}):
            return None
        code = self.code(data, NAME, place)
        label = self.text(data, "label", place, required=True)
        kind = data.get("type")
        if kind not in COLUMN_TYPES:
            self.add(place, f"نوع «{kind}» تعریف نشده است ({'، '.join(COLUMN_TYPES)})", data)
            return None
        options: tuple[str, ...] = ()
        if kind == "choice":
            raw = data.get("options")
            if not isinstance(raw, list) or not raw or not all(isinstance(o, str) for o in raw):
                self.add(place, "ستون گزینه‌ای فهرست گزینه‌ها (options) می‌خواهد", data)
                return None
            options = tuple(raw)
        elif "options" in data:
            self.add(place, "فقط ستون گزینه‌ای گزینه (options) دارد", data)
        return Column(code, label, kind, options, self.labels(data, set(options), place))

    def table(self, data: Any, place: str) -> Table | None:
        if not self.mapping(data, place, TABLE_KEYS, TABLE_KEYS):
            return None
        code = self.code(data, NAME, place)
        title = self.text(data, "title", place, required=True)
        raw = data.get("columns")
        if not isinstance(raw, list) or not raw:
            self.add(place, "جدول دست‌کم یک ستون (columns) می‌خواهد", data)
            return None
        columns = [self.column(c, f"{place}، ستون {fa(n)}") for n, c in enumerate(raw, 1)]
        found = [c for c in columns if c is not None]
        codes = [c.code for c in found]
        for code_ in sorted({c for c in codes if codes.count(c) > 1}):
            self.add(place, f"ستون «{code_}» تکراری است", data)
        return Table(code, title, tuple(found)) if len(found) == len(columns) else None

    def source(self, data: Any, tables: dict[str, Table], place: str) -> Aggregate | None:
        if not self.mapping(data, place, SOURCE_KEYS, {"table", "aggregate"}):
            return None
        table = tables.get(data.get("table"))
        function, column, equals = data.get("aggregate"), data.get("column"), data.get("equals")
        if table is None:
            self.add(place, f"جدول «{data.get('table')}» در این نماگر تعریف نشده است", data)
            return None
        if function not in AGGREGATES:
            self.add(place, f"تابع «{function}» تعریف نشده است ({'، '.join(AGGREGATES)})", data)
            return None
        spec = next((c for c in table.columns if c.code == column), None)
        if column is not None and spec is None:
            self.add(place, f"ستون «{column}» در جدول «{table.code}» نیست", data)
            return None
        if function != "count" and spec is None:
            self.add(place, f"تابع «{function}» ستون (column) می‌خواهد", data)
            return None
        numeric = ("number", "integer", "percent")
        if function in ("sum", "mean", "min", "max") and spec and spec.type not in numeric:
            self.add(place, f"تابع «{function}» ستون عددی می‌خواهد", data)
            return None
        compares = function == "percent" or (function == "count" and column is not None)
        if compares and not isinstance(equals, str | bool):
            self.add(place, f"تابع «{function}» مقدار مقایسه (equals) می‌خواهد", data)
            return None
        return Aggregate(table.code, function, column, equals)

    def field(self, data: Any, tables: dict[str, Table], place: str) -> Field | None:
        if not self.mapping(data, place, FIELD_KEYS, {"code", "label", "type"}):
            return None
        code = self.code(data, NAME, place)
        if code in RESERVED:
            self.add(place, f"نام «{code}» رزرو شده است؛ نام دیگری بگذارید", data)
        label = self.text(data, "label", place, required=True)
        kind = data.get("type")
        if kind not in FIELD_TYPES:
            self.add(place, f"نوع «{kind}» تعریف نشده است ({'، '.join(FIELD_TYPES)})", data)
            return None
        bounds = []
        for key in ("min", "max"):
            raw = data.get(key)
            number = to_decimal(raw) if raw is not None and not isinstance(raw, str) else None
            if raw is not None and (number is None or kind in ("boolean", "choice")):
                self.add(place, f"«{key}» فقط برای فیلد عددی و باید عدد باشد", data)
            bounds.append(number)
        options = None
        if kind == "choice":
            raw = data.get("options")
            if not isinstance(raw, Mapping) or not raw:
                self.add(place, "فیلد گزینه‌ای نگاشت گزینه به عدد (options) می‌خواهد", data)
                return None
            options = {}
            for option, value in raw.items():
                number = to_decimal(value) if not isinstance(value, str) else None
                if not isinstance(option, str) or number is None:
                    self.add(place, f"گزینهٔ «{option}» باید کد متنی با مقدار عددی باشد", data)
                    return None
                options[option] = number
        elif "options" in data:
            self.add(place, "فقط فیلد گزینه‌ای گزینه (options) دارد", data)
        labels = self.labels(data, set(options or ()), place)
        previous = data.get("previous")
        if previous is not None and not isinstance(previous, str):
            self.add(place, "«previous» باید کد فیلد سال جاری باشد", data)
            previous = None
        source = self.source(data["from"], tables, f"{place}، from") if "from" in data else None
        help_text = self.text(data, "help", place, required=False)
        return Field(
            code, label, kind, bounds[0], bounds[1], options, labels, previous, source, help_text
        )


def _written_code(data: Any) -> str:
    """The code as written, for naming the place even when the code itself is wrong."""
    value = data.get("code") if isinstance(data, Mapping) else None
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value) if isinstance(value, str | int) and not isinstance(value, bool) else ""


def _gauge(r: _Reader, data: Any, indicator: dict[str, Any], place: str) -> Gauge | None:
    place = f"نماگر {fa_text(_written_code(data))}" if _written_code(data) else place
    problems_before = len(r.problems)
    if not r.mapping(data, place, GAUGE_KEYS, {"code", "title", "max_score", "rule"}):
        return None
    parent = indicator["code"]
    pattern = re.compile(re.escape(parent) + r"\.\d{1,3}")
    code = r.code(data, pattern, place, f'«{fa_text(parent)}.شماره» (مثل "{parent}.1")')
    tables_raw = data.get("tables") or []
    tables: dict[str, Table] = {}
    if not isinstance(tables_raw, list):
        r.add(place, "«tables» باید فهرست باشد", data)
        tables_raw = []
    for number, raw in enumerate(tables_raw, start=1):
        table = r.table(raw, f"{place}، جدول {fa(number)}")
        if table and table.code in tables:
            r.add(place, f"جدول «{table.code}» تکراری است", raw)
        elif table:
            tables[table.code] = table
    fields_raw = data.get("fields") or []
    if not isinstance(fields_raw, list):
        r.add(place, "«fields» باید فهرست باشد", data)
        fields_raw = []
    fields = [r.field(raw, tables, f"{place}، فیلد {fa(n)}") for n, raw in enumerate(fields_raw, 1)]
    found = [f for f in fields if f is not None]
    codes = [f.code for f in found]
    for duplicate in sorted({c for c in codes if codes.count(c) > 1}):
        r.add(place, f"فیلد «{duplicate}» تکراری است", data)
    for f in found:
        if f.previous is not None and (f.previous not in codes or f.previous == f.code):
            r.add(place, f"«previous» فیلد «{f.code}» باید فیلد دیگری از همین نماگر باشد", data)
    max_score = r.score(data, place)
    target = r.target(data, place)
    if len(r.problems) > problems_before:
        return None
    effective = target if target is not None else indicator["target"]
    spec = Spec(code, max_score, tuple(found), tuple(tables.values()), effective)
    try:
        rule = build_rule(spec, data.get("rule"))
    except RuleError as error:
        r.add(f"{place}، قاعده", error.message, data.get("rule") or data)
        return None
    return Gauge(
        code=code,
        title=r.text(data, "title", place, required=True),
        max_score=max_score,
        method=r.text(data, "method", place, required=False),
        rule=rule,
        fields=tuple(found),
        allow_not_applicable=r.flag(data, "allow_not_applicable", place),
        target=target,
        assessor=r.assessor(data, place),
        measure=r.text(data, "measure", place, required=False),
        evidence=r.text(data, "evidence", place, required=False),
        note=r.text(data, "note", place, required=False),
        tables=tuple(tables.values()),
    )


def _children(r: _Reader, data: Mapping[str, Any], key: str, place: str) -> list[Any]:
    items = data.get(key)
    if not isinstance(items, list) or not items:
        r.add(place, f"«{key}» باید فهرستی ناتهی باشد", data)
        return []
    return items


def _check_sum(
    r: _Reader, children: list[Any], total: Decimal, what: str, place: str, node: Any
) -> None:
    """Children's maxima as written must add up, even for a child refused for another reason."""
    parts = [
        to_decimal(c.get("max_score"))
        if isinstance(c, Mapping) and not isinstance(c.get("max_score"), str)
        else None
        for c in children
    ]
    numbers = [p for p in parts if p is not None]
    if not parts or not total or len(numbers) != len(parts):
        return
    found = sum(numbers, ZERO)
    if found != total:
        r.add(place, f"جمع سقف {what} ({fa(found)}) با سقف {fa(total)} برابر نیست", node)


def _indicator(r: _Reader, data: Any, axis_code: str, place: str) -> Indicator | None:
    written = _written_code(data)
    place = f"شاخص {fa_text(written)}" if written else place
    if not r.mapping(data, place, INDICATOR_KEYS, {"code", "title", "max_score", "gauges"}):
        return None
    pattern = re.compile(re.escape(axis_code) + r"\.\d{1,3}")
    expected = f'«{fa_text(axis_code)}.شماره» (مثل "{axis_code}.1")'
    code = r.code(data, pattern, place, expected)
    unit = data.get("unit")
    if unit is not None and unit not in UNITS:
        r.add(place, f"واحد «{unit}» تعریف نشده است ({'، '.join(UNITS)})", data)
    target = r.target(data, place)
    max_score = r.score(data, place)
    # Gauges are checked against the code as written, so that one unquoted indicator code
    # is reported once, not once more for each of its gauges.
    context = {"code": code or written or "?", "target": target}
    raw = _children(r, data, "gauges", place)
    gauges = [_gauge(r, g, context, f"{place}، نماگر ردیف {fa(n)}") for n, g in enumerate(raw, 1)]
    found = [g for g in gauges if g is not None]
    codes = [g.code for g in found]
    for duplicate in sorted({c for c in codes if codes.count(c) > 1}):
        r.add(place, f"نماگر {fa_text(duplicate)} تکراری است", data)
    _check_sum(r, raw, max_score, "نماگرها", place, data)
    if len(found) != len(raw):
        return None
    return Indicator(
        code=code,
        title=r.text(data, "title", place, required=True),
        max_score=max_score,
        gauges=tuple(found),
        unit=unit,
        target=target,
        assessor=r.assessor(data, place),
        evidence=r.text(data, "evidence", place, required=False),
        legal_basis=r.text(data, "legal_basis", place, required=False),
        allow_not_applicable=r.flag(data, "allow_not_applicable", place),
        note=r.text(data, "note", place, required=False),
    )


def _axis(r: _Reader, data: Any, place: str) -> Axis | None:
    place = f"محور {fa_text(_written_code(data))}" if _written_code(data) else place
    if not r.mapping(data, place, AXIS_KEYS, AXIS_KEYS):
        return None
    code = r.code(data, AXIS_CODE, place, 'حرف و رقم لاتین، مثل "1"')
    max_score = r.score(data, place)
    raw = _children(r, data, "indicators", place)
    found = [
        i
        for n, d in enumerate(raw, 1)
        if (i := _indicator(r, d, code, f"{place}، شاخص ردیف {fa(n)}"))
    ]
    codes = [i.code for i in found]
    for duplicate in sorted({c for c in codes if codes.count(c) > 1}):
        r.add(place, f"شاخص {fa_text(duplicate)} تکراری است", data)
    _check_sum(r, raw, max_score, "شاخص‌ها", place, data)
    if len(found) != len(raw):
        return None
    title = r.text(data, "title", place, required=True)
    return Axis(code, title, max_score, tuple(found))


def catalogue_from_data(data: Any, *, name: str = "catalogue") -> Catalogue:
    """Check and build a catalogue from parsed data; ``CatalogueError`` lists every problem."""
    r = _Reader()
    place = ""
    if not r.mapping(
        data, place, CATALOGUE_KEYS, {"format", "code", "title", "year", "level", "kind", "axes"}
    ):
        raise CatalogueError(name, r.problems)
    if data.get("format") != FORMAT:
        r.add(place, f"قالب «{data.get('format')}» پشتیبانی نمی‌شود؛ «{FORMAT}» لازم است", data)
    code = r.code(data, CATALOGUE_CODE, place)
    year = data.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not 1300 <= year <= 1500:
        r.add(place, f"سال «{year}» باید سال خورشیدی میان ۱۳۰۰ و ۱۵۰۰ باشد", data)
    for key, allowed in (
        ("level", LEVELS),
        ("kind", KINDS),
        ("not_applicable", NOT_APPLICABLE_MODES),
    ):
        optional = key == "not_applicable" and key not in data
        if not optional and data.get(key) not in allowed:
            r.add(place, f"«{key}» باید یکی از {'، '.join(allowed)} باشد", data)
    declared = r.score(data, place) if data.get("max_score") is not None else None
    raw = _children(r, data, "axes", place)
    axes = [a for n, d in enumerate(raw, 1) if (a := _axis(r, d, f"محور ردیف {fa(n)}"))]
    codes = [a.code for a in axes]
    for duplicate in sorted({c for c in codes if codes.count(c) > 1}):
        r.add(place, f"محور {fa_text(duplicate)} تکراری است", data)
    if declared is not None:
        _check_sum(r, raw, declared, "محورها", "سقف کل", data)
    if r.problems:
        raise CatalogueError(name, r.problems)
    return Catalogue(
        code=code,
        title=r.text(data, "title", place, required=True),
        year=year,
        level=data["level"],
        kind=data["kind"],
        not_applicable=data.get("not_applicable", "axis"),
        axes=tuple(axes),
        declared_max=declared,
        note=r.text(data, "note", place, required=False),
        source=r.text(data, "source", place, required=False),
    )


def parse_catalogue(text: str | bytes, *, name: str = "catalogue") -> Catalogue:
    return catalogue_from_data(read_yaml(text, name), name=name)


def load_catalogue(path: str | Path) -> Catalogue:
    """Read and check a catalogue file; ``CatalogueError`` names the file and every problem."""
    name = str(path)
    try:
        text = Path(path).read_bytes()
    except OSError as error:
        raise CatalogueError(name, [Problem("", unreadable(error))]) from None
    try:
        text.decode("utf-8")
    except UnicodeDecodeError:
        raise CatalogueError(name, [Problem("", "پرونده UTF-8 نیست")]) from None
    return parse_catalogue(text, name=name)
