"""Reading an answer's figures: each field checked against its type, tables summed up.

Anything wrong makes the gauge ``invalid`` with one Persian sentence that names the field.
"""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from .model import Aggregate, Field, Table
from .numbers import HUNDRED, ONE, ZERO, fa, to_decimal


class Invalid(Exception):
    """The answer to one gauge cannot be scored; ``message`` says why, in Persian."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _name(field: Field) -> str:
    return f"«{field.label}» ({field.code})"


_NUMERIC = frozenset({"number", "integer", "percent"})


def convert(field: Field, raw: Any) -> Decimal:
    """One entered value as the number expressions see, or ``Invalid``."""
    kind = field.type
    bounded = field.minimum is not None or field.maximum is not None
    if type(raw) is int and kind == "integer" and raw >= 0 and not bounded:
        # The common cases first, by exact type: this runs for every figure of every agency.
        return Decimal(raw)
    if kind == "number" and not bounded and type(raw) is Decimal and raw.is_finite():
        return raw
    if kind == "boolean":
        if raw is True:
            return ONE
        if raw is False:
            return ZERO
        raise Invalid(f"{_name(field)} باید بلی یا خیر (true/false) باشد، نه «{raw}»")
    if kind == "choice":
        options = field.options or {}
        if isinstance(raw, str) and raw in options:
            return options[raw]
        known = "، ".join(options)
        raise Invalid(f"گزینهٔ «{raw}» برای {_name(field)} تعریف نشده است (گزینه‌ها: {known})")
    number = to_decimal(raw)
    if number is None:
        raise Invalid(f"{_name(field)} باید عدد باشد، نه «{raw}»")
    if kind == "integer":
        if number < 0 or number != number.to_integral_value():
            raise Invalid(f"{_name(field)} باید عدد صحیح نامنفی باشد، نه {fa(number)}")
    elif kind == "percent" and not ZERO <= number <= HUNDRED:
        raise Invalid(f"{_name(field)} درصد است و باید از ۰ تا ۱۰۰ باشد، نه {fa(number)}")
    if field.minimum is not None and number < field.minimum:
        raise Invalid(f"{_name(field)} نباید کمتر از {fa(field.minimum)} باشد ({fa(number)})")
    if field.maximum is not None and number > field.maximum:
        raise Invalid(f"{_name(field)} نباید بیشتر از {fa(field.maximum)} باشد ({fa(number)})")
    return number


def _column_values(table: Table, column: str, rows: list[Any]) -> list[Any]:
    spec = next(c for c in table.columns if c.code == column)
    numeric = spec.type in _NUMERIC
    percent = spec.type == "percent"
    values: list[Any] = []
    add = values.append
    for number, row in enumerate(rows, start=1):
        if row.__class__ is not dict and not isinstance(row, Mapping):
            raise Invalid(f"ردیف {fa(number)} جدول «{table.title}» باید شیء باشد")
        raw = row.get(column)
        if raw is None:
            add(None)
        elif numeric:
            value = raw if raw.__class__ is Decimal and raw.is_finite() else to_decimal(raw)
            if value is None:
                if raw == "":
                    add(None)
                    continue
                raise Invalid(
                    f"ردیف {fa(number)} جدول «{table.title}»: ستون «{spec.label}» باید عدد "
                    f"باشد، نه «{raw}»"
                )
            if percent and not ZERO <= value <= HUNDRED:
                raise Invalid(
                    f"ردیف {fa(number)} جدول «{table.title}»: ستون «{spec.label}» درصد است و "
                    f"باید از ۰ تا ۱۰۰ باشد"
                )
            add(value)
        elif raw == "":
            add(None)
        elif spec.type == "choice" and raw not in spec.options:
            raise Invalid(
                f"ردیف {fa(number)} جدول «{table.title}»: گزینهٔ «{raw}» در ستون "
                f"«{spec.label}» تعریف نشده است"
            )
        else:
            add(raw)
    return values


def aggregate(source: Aggregate, table: Table, rows: Any) -> Decimal:
    """A field's figure computed from the rows of a list table."""
    if not isinstance(rows, list):
        raise Invalid(f"جدول «{table.title}» باید فهرستی از ردیف‌ها باشد")
    if source.function == "count" and source.column is None:
        return Decimal(len(rows))
    assert source.column is not None
    values = _column_values(table, source.column, rows)
    if source.function == "count":
        return Decimal(sum(1 for v in values if v == source.equals))
    if source.function == "percent":
        answered = [v for v in values if v is not None and v != "not_applicable"]
        if not answered:
            raise Invalid(f"جدول «{table.title}» هیچ ردیف پاسخ‌داده و قابل‌اعمالی ندارد")
        hits = sum(1 for v in answered if v == source.equals)
        return Decimal(hits) * HUNDRED / Decimal(len(answered))
    numbers: list[Decimal] = [v for v in values if v is not None]
    if source.function == "sum":
        return sum(numbers, ZERO)
    if not numbers:
        raise Invalid(f"جدول «{table.title}» هیچ ردیفی با رقم در ستون «{source.column}» ندارد")
    if source.function == "mean":
        return sum(numbers, ZERO) / Decimal(len(numbers))
    if source.function == "min":
        return min(numbers)
    return max(numbers)


def read_fields(
    fields: tuple[Field, ...], tables: tuple[Table, ...], answer: Mapping[str, Any]
) -> dict[str, Decimal]:
    """Every declared field of a gauge, as numbers; ``Invalid`` on the first that is wrong."""
    given = answer.get("fields")
    if given is None:
        given = {}
    elif given.__class__ is not dict and not isinstance(given, Mapping):
        raise Invalid("«fields» باید شیئی از رقم‌ها باشد")
    given_tables = answer.get("tables")
    if given_tables is not None and not isinstance(given_tables, Mapping):
        raise Invalid("«tables» باید شیئی از جدول‌ها باشد")
    values: dict[str, Decimal] = {}
    for field in fields:
        source = field.source
        if source is not None and given_tables and source.table in given_tables:
            table = next(t for t in tables if t.code == source.table)
            values[field.code] = aggregate(source, table, given_tables[source.table])
            continue
        raw = given.get(field.code)
        if raw is None:
            raise Invalid(f"{_name(field)} وارد نشده است")
        values[field.code] = convert(field, raw)
    return values
