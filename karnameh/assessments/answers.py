"""Checking an agency's answer to one gauge before it is saved.

The engine scores whatever it is given (a half-filled answer is "invalid" or "missing", and
the workspace shows why); this module refuses only what can never be right: keys the gauge
does not have, figures that are not numbers or break their bounds, options it does not offer,
a target (that comes from the MoU), or "not applicable" without a reason. Figures are kept as
exact decimal text with ASCII digits, whatever digits were typed.
"""

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from karnameh.common.errors import DomainError
from karnameh.common.text import persian_digits
from karnameh.scoring import Gauge, Indicator
from karnameh.scoring.fields import Invalid, convert
from karnameh.scoring.model import Column, allows_not_applicable
from karnameh.scoring.numbers import fa, to_decimal, written

ALLOWED_KEYS = {"fields", "tables", "choice", "checked", "score", "not_applicable", "reason"}
MAX_ROWS = 500
MAX_TEXT = 2000


class BadAnswer(DomainError):
    """A refused answer; the message names the gauge and the problem."""

    def __init__(self, gauge: Gauge, problem: str) -> None:
        message = _("Gauge %(code)s: %(problem)s") % {
            "code": persian_digits(gauge.code),
            "problem": problem,
        }
        super().__init__(message, code="bad_answer")


def _figure(value: Decimal | bool | str) -> Any:
    if isinstance(value, Decimal):
        return written(value)
    return value


def _field_value(gauge: Gauge, code: str, raw: Any) -> Any:
    field = gauge.field(code)
    if field is None or field.source is not None:
        raise BadAnswer(gauge, _("it has no figure “%(code)s” to enter.") % {"code": code})
    if raw is None or raw == "":
        return None
    if field.type == "boolean" and isinstance(raw, str):
        raw = {"yes": True, "no": False, "true": True, "false": False}.get(raw, raw)
    try:
        number = convert(field, raw)
    except Invalid as error:
        raise BadAnswer(gauge, error.message) from None
    if field.type in ("boolean", "choice"):
        return raw
    return _figure(number)


def _cell(gauge: Gauge, title: str, row: int, column: Column, raw: Any) -> Any:
    if raw is None or raw == "":
        return None
    place = _("table “%(table)s”, row %(row)s, column “%(column)s”") % {
        "table": title,
        "row": fa(row),
        "column": column.label,
    }
    if column.type == "text":
        text = str(raw).strip()
        if len(text) > MAX_TEXT:
            raise BadAnswer(gauge, _("%(place)s is too long.") % {"place": place})
        return text
    if column.type == "boolean":
        value = {"yes": True, "no": False, True: True, False: False}.get(raw)
        if value is None:
            raise BadAnswer(gauge, _("%(place)s must be yes or no.") % {"place": place})
        return value
    if column.type == "choice":
        if raw not in column.options:
            raise BadAnswer(
                gauge, _("%(place)s has no option “%(value)s”.") % {"place": place, "value": raw}
            )
        return raw
    number = to_decimal(raw)
    bad = number is None or (
        column.type == "integer" and (number < 0 or number != number.to_integral_value())
    )
    if number is not None and column.type == "percent" and not 0 <= number <= 100:
        bad = True
    if bad or number is None:
        raise BadAnswer(
            gauge,
            _("%(place)s must be a number, not “%(value)s”.") % {"place": place, "value": raw},
        )
    return written(number)


def _tables(gauge: Gauge, raw: Any) -> dict[str, list[dict[str, Any]]]:
    if not isinstance(raw, dict):
        raise BadAnswer(gauge, _("its tables must be given as lists of rows."))
    known = {table.code: table for table in gauge.tables}
    cleaned: dict[str, list[dict[str, Any]]] = {}
    for code, rows in raw.items():
        table = known.get(code)
        if table is None:
            raise BadAnswer(gauge, _("it has no table “%(code)s”.") % {"code": code})
        if not isinstance(rows, list) or len(rows) > MAX_ROWS:
            raise BadAnswer(
                gauge,
                _("table “%(table)s” must be a list of at most %(count)s rows.")
                % {"table": table.title, "count": fa(MAX_ROWS)},
            )
        columns = {column.code: column for column in table.columns}
        kept = []
        for number, row in enumerate(rows, start=1):
            if not isinstance(row, dict) or set(row) - set(columns):
                raise BadAnswer(
                    gauge,
                    _("row %(row)s of table “%(table)s” has columns the table does not have.")
                    % {"row": fa(number), "table": table.title},
                )
            values = {c: _cell(gauge, table.title, number, columns[c], v) for c, v in row.items()}
            values = {c: v for c, v in values.items() if v is not None}
            if values:
                kept.append(values)
        cleaned[code] = kept
    return cleaned


def clean_answer(indicator: Indicator, gauge: Gauge, raw: Any) -> dict[str, Any]:
    """The answer as it will be stored, or ``BadAnswer`` naming what is wrong."""
    if not isinstance(raw, dict):
        raise BadAnswer(gauge, _("the answer must be an object."))
    unknown = set(raw) - ALLOWED_KEYS
    if unknown:
        raise BadAnswer(
            gauge,
            _("“%(keys)s” cannot be entered by the agency.") % {"keys": "، ".join(sorted(unknown))},
        )
    rule: Any = gauge.rule
    kind = rule.kind
    answer: dict[str, Any] = {}
    fields = raw.get("fields") or {}
    if not isinstance(fields, dict):
        raise BadAnswer(gauge, _("its figures must be given by name."))
    values = {code: _field_value(gauge, code, value) for code, value in fields.items()}
    if any(v is not None for v in values.values()):
        answer["fields"] = {c: v for c, v in values.items() if v is not None}
    if raw.get("tables"):
        answer["tables"] = _tables(gauge, raw["tables"])
    choice = raw.get("choice")
    if choice not in (None, ""):
        if kind != "choice" or choice not in rule.options:
            raise BadAnswer(gauge, _("it has no option “%(value)s”.") % {"value": choice})
        answer["choice"] = choice
    checked = raw.get("checked")
    if checked:
        codes = {item.code for item in rule.items} if kind == "checklist" else set()
        if not isinstance(checked, list) or not set(checked) <= codes:
            raise BadAnswer(gauge, _("it has no such checklist item."))
        answer["checked"] = [code for code in checked if code in codes]
    score = raw.get("score")
    if score not in (None, ""):
        number = to_decimal(score)
        if kind != "judgement":
            raise BadAnswer(gauge, _("its score is computed, not entered."))
        if number is None or not 0 <= number <= gauge.max_score:
            raise BadAnswer(
                gauge,
                _("the score must be a number from zero to %(max)s, not “%(value)s”.")
                % {"max": fa(gauge.max_score), "value": score},
            )
        answer["score"] = written(number)
    if raw.get("not_applicable"):
        if not allows_not_applicable(indicator, gauge):
            raise BadAnswer(gauge, _("it cannot be marked not applicable."))
        reason = str(raw.get("reason") or "").strip()
        if not reason:
            raise BadAnswer(gauge, _("say why it is not applicable."))
        answer = {"not_applicable": True, "reason": reason[:MAX_TEXT]}
    return answer
