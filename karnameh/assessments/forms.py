"""The gauge editor's form: the «try the rule» form of the gauge, plus what an agency stores.

``AnswerForm`` is ``catalogue.trying.TryForm`` (one input per figure the rule reads, the
choice, the checklist, the judgement score, not applicable) without what an agency never
enters (the MoU target, convergence totals, figures computed from a table), plus the gauge's
list tables, a comment, the answer's version and an idempotency key. ``answer_data`` reads it
into the answer object ``services.answer_save`` and ``answers.clean_answer`` take, so the
live score, the autosave, the plain submit and the API all read one shape.

Table cells are named ``t-<table>-<row>-<column>``; ``rows-<table>`` says how many rows the
page shows, and a submit button ``add_rows=<table>`` adds ``ADD_ROWS`` more (no JavaScript).
"""

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from karnameh.catalogue.trying import NO, YES, TryForm, _number_input
from karnameh.common.forms import style_widgets
from karnameh.common.text import persian_digits
from karnameh.common.widgets import use_fast_widgets
from karnameh.scoring import Gauge, Indicator
from karnameh.scoring.model import OPTION_LABELS, Column, Table
from karnameh.scoring.numbers import fa

from .answers import MAX_ROWS, MAX_TEXT

# Empty rows shown under a table's stored rows, and rows added by «add rows».
EXTRA_ROWS = 3
ADD_ROWS = 5
# What an agency never enters on its own answer (``answers.clean_answer`` refuses them).
NOT_ENTERED = ("target", "self_total", "others_total")


def new_key() -> str:
    """A fresh idempotency key for the next save from this page."""
    return uuid.uuid4().hex


def _cell_name(table: str, row: int, column: str) -> str:
    return f"t-{table}-{row}-{column}"


def _column_label(column: Column, code: str) -> str:
    return persian_digits(column.labels.get(code) or OPTION_LABELS.get(code, code))


def _cell_field(column: Column) -> forms.Field:
    label = persian_digits(column.label)
    if column.type == "text":
        return forms.CharField(label=label, required=False, max_length=MAX_TEXT)
    if column.type == "boolean":
        return forms.ChoiceField(
            label=label,
            required=False,
            choices=[("", "—"), (YES, gettext_lazy("yes")), (NO, gettext_lazy("no"))],
        )
    if column.type == "choice":
        choices = [(code, _column_label(column, code)) for code in column.options]
        return forms.ChoiceField(label=label, required=False, choices=[("", "—"), *choices])
    return _number_input(label)


def _shown(value: Any) -> Any:
    """A stored value as the input shows it: yes/no for booleans, Persian digits for figures."""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, int | float):
        return persian_digits(value)
    if isinstance(value, str) and value.replace(".", "", 1).lstrip("-").isdigit():
        return persian_digits(value)
    return value


@dataclass
class TableRows:
    """One list table as the template lays it out: a header and rows of bound cells."""

    table: Table
    rows: list[list[forms.BoundField]]
    count_field: forms.BoundField


class AnswerForm(TryForm):
    def __init__(
        self,
        data: QueryDict | None = None,
        *,
        indicator: Indicator,
        gauge: Gauge,
        stored: dict[str, Any] | None = None,
        comment: str = "",
        version: int = 0,
        prefill: dict[str, Any] | None = None,
        disabled: bool = False,
    ) -> None:
        stored = stored or {}
        counts = {t.code: self._row_count(t, data, stored) for t in gauge.tables}
        if data is not None:
            # The rows the page shows next, counting those «add rows» asked for.
            data = data.copy()
            for code, count in counts.items():
                data[f"rows-{code}"] = str(count)
        super().__init__(data, indicator=indicator, gauge=gauge)
        for name in NOT_ENTERED:
            self.fields.pop(name, None)
        for field in gauge.fields:
            if field.source is not None:
                self.fields.pop(f"f_{field.code}", None)
        if "score" in self.fields:
            self.fields["score"].label = _("Self-score")
            self.fields["score"].help_text = _("From zero to %(max)s.") % {
                "max": fa(gauge.max_score)
            }
        for table in gauge.tables:
            self.fields[f"rows-{table.code}"] = forms.IntegerField(
                required=False, widget=forms.HiddenInput
            )
            for row in range(counts[table.code]):
                for column in table.columns:
                    cell = _cell_field(column)
                    cell.label = _("%(column)s, row %(row)s") % {
                        "column": cell.label,
                        "row": fa(row + 1),
                    }
                    self.fields[_cell_name(table.code, row, column.code)] = cell
        self.fields["comment"] = forms.CharField(
            label=_("Comment"),
            required=False,
            max_length=MAX_TEXT,
            widget=forms.Textarea(attrs={"rows": 2}),
        )
        self.fields["version"] = forms.IntegerField(
            required=False, min_value=0, widget=forms.HiddenInput
        )
        self.fields["key"] = forms.CharField(
            required=False, max_length=100, widget=forms.HiddenInput
        )
        style_widgets(self.fields)
        # A gauge page renders hundreds of these; the template renderer was most of its time.
        use_fast_widgets(self.fields.values())
        self.counts = counts
        self.prefill = prefill or {}
        self.prefilled: set[str] = set()
        self.initial = self._initial(stored, comment, version, counts)
        for code, value in self.prefill.items():
            found = self.fields.get(f"f_{code}")
            if found is not None:
                # Shown beside the input; ``prefilled`` when the input starts with it.
                found.has_last_year = True  # type: ignore[attr-defined]
                found.last_year = value  # type: ignore[attr-defined]
                found.prefilled = code in self.prefilled  # type: ignore[attr-defined]
        if disabled:
            for each in self.fields.values():
                each.disabled = True

    def full_clean(self) -> None:
        raw = self.data
        super().full_clean()
        # Cleaned values are normalised (ASCII digits); the form shows back what was typed.
        self.data = raw

    @staticmethod
    def _row_count(table: Table, data: QueryDict | None, stored: dict[str, Any]) -> int:
        if data is None:
            rows = len((stored.get("tables") or {}).get(table.code) or [])
            return min(rows + EXTRA_ROWS, MAX_ROWS)
        try:
            count = int(str(data.get(f"rows-{table.code}") or EXTRA_ROWS))
        except ValueError:
            count = EXTRA_ROWS
        if data.get("add_rows") == table.code:
            count += ADD_ROWS
        return max(1, min(count, MAX_ROWS))

    def _initial(
        self, stored: dict[str, Any], comment: str, version: int, counts: dict[str, int]
    ) -> dict[str, Any]:
        initial: dict[str, Any] = {"comment": comment, "version": version, "key": new_key()}
        figures = stored.get("fields") or {}
        for field in self.gauge.fields:
            name = f"f_{field.code}"
            if name not in self.fields:
                continue
            if field.code in figures:
                initial[name] = _shown(figures[field.code])
            elif field.code in self.prefill:
                initial[name] = _shown(self.prefill[field.code])
                self.prefilled.add(field.code)
        for code, rows in (stored.get("tables") or {}).items():
            for number, row in enumerate(rows):
                for column, value in row.items():
                    initial[_cell_name(code, number, column)] = _shown(value)
        for code, count in counts.items():
            initial[f"rows-{code}"] = count
        for key in ("choice", "checked", "reason"):
            if key in stored:
                initial[key] = stored[key]
        if "score" in stored:
            initial["score"] = _shown(stored["score"])
        if stored.get("not_applicable"):
            initial["not_applicable"] = True
        return initial

    def table_rows(self) -> list[TableRows]:
        return [
            TableRows(
                table=table,
                rows=[
                    [self[_cell_name(table.code, row, c.code)] for c in table.columns]
                    for row in range(self.counts[table.code])
                ],
                count_field=self[f"rows-{table.code}"],
            )
            for table in self.gauge.tables
        ]

    def plain_fields(self) -> list[forms.BoundField]:
        """The fields above the tables (figures, choice, checklist, score, not applicable)."""
        hidden = {"comment", "version", "key"}
        return [
            self[name]
            for name in self.fields
            if name not in hidden and not name.startswith(("t-", "rows-"))
        ]

    def answer_data(self) -> dict[str, Any]:
        """The answer object the services take; call only when the form is valid."""
        answer, _others = self.answer()
        data = self.cleaned_data
        tables: dict[str, list[dict[str, Any]]] = {}
        for table in self.gauge.tables:
            rows = []
            for row in range(self.counts[table.code]):
                values = {
                    c.code: data.get(_cell_name(table.code, row, c.code)) for c in table.columns
                }
                rows.append({k: v for k, v in values.items() if v not in (None, "")})
            tables[table.code] = rows
        if tables:
            answer["tables"] = tables
        return answer

    def comment(self) -> str:
        return str(self.cleaned_data.get("comment") or "")

    def version(self) -> int:
        return int(self.cleaned_data.get("version") or 0)

    def key(self) -> str | None:
        return self.cleaned_data.get("key") or None


def _value_text(value: Any) -> str:
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, float):
        # A JSON number stored as such (the pages store text): shown as written, not crashed on.
        value = Decimal(str(value))
    return fa(value)


def answer_lines(gauge: Gauge, data: dict[str, Any] | None) -> dict[str, str]:
    """An answer as people read it, by line label: what the conflict panel puts side by side."""
    data = data or {}
    lines: dict[str, str] = {}
    if data.get("not_applicable"):
        lines[str(_("Not applicable"))] = persian_digits(data.get("reason") or "")
    for code, value in (data.get("fields") or {}).items():
        field = gauge.field(code)
        label = persian_digits(field.label) if field else code
        if field is not None and field.type == "choice" and isinstance(value, str):
            lines[label] = persian_digits(field.option_label(value))
        else:
            lines[label] = _value_text(value)
    titles = {t.code: t.title for t in gauge.tables}
    for code, rows in (data.get("tables") or {}).items():
        count = len(rows or [])
        lines[persian_digits(titles.get(code, code))] = ngettext(
            "%(count)s row", "%(count)s rows", count
        ) % {"count": fa(count)}
    rule: Any = gauge.rule
    if data.get("choice"):
        lines[str(_("Option chosen"))] = persian_digits(rule.label(data["choice"]))
    if "checked" in data and gauge.rule.kind == "checklist":
        titles_by_code = {item.code: item.title for item in rule.items}
        done = [persian_digits(titles_by_code.get(c, c)) for c in data.get("checked") or []]
        lines[str(_("Items done"))] = "، ".join(done) or "—"
    if data.get("score") not in (None, ""):
        # A fraction is stored as a JSON number (3.5, scoring.numbers.written), not text.
        lines[str(_("Self-score"))] = _value_text(data["score"])
    return lines


def side_by_side(
    gauge: Gauge, theirs: dict[str, Any], mine: dict[str, Any]
) -> list[tuple[str, str, str]]:
    """(label, their value, my value) for every line either answer has, and the comment."""
    left = answer_lines(gauge, theirs.get("data"))
    right = answer_lines(gauge, mine.get("data"))
    labels = list(left) + [label for label in right if label not in left]
    rows = [(label, left.get(label, "—"), right.get(label, "—")) for label in labels]
    rows.append(
        (
            str(_("Comment")),
            persian_digits(theirs.get("comment") or "—"),
            persian_digits(mine.get("comment") or "—"),
        )
    )
    return rows
