"""«Try the rule»: a form made from one gauge, read into an answer, scored by the engine.

The page, its htmx partial and the API read the same query parameters through ``TryForm``:
``f_<field code>`` for each field (``yes``/``no`` for a yes/no field, the option code for a
choice), ``target`` (an MoU target), ``choice``, ``checked`` (repeated), ``score``,
``self_total`` and ``others_total`` (convergence), ``not_applicable`` and ``reason``.
Numbers may be typed with Persian digits; the engine reads them as it reads answers files.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from karnameh.common.forms import Form, style_widgets
from karnameh.common.text import persian_digits
from karnameh.scoring import Catalogue, Env, Gauge, GaugeResult, Indicator, score_gauge
from karnameh.scoring.engine import STATUS_LABELS
from karnameh.scoring.model import (
    FIELD_TYPE_LABELS,
    STAR,
    allows_not_applicable,
    effective_target,
)
from karnameh.scoring.numbers import fa, to_decimal

YES, NO = "yes", "no"
# Names a rule provides besides the gauge's fields, as the explanation calls them.
PROVIDED_NAMES = {"gap": _("gap"), "value": _("value")}


def _number_input(label: str, help_text: Any = "") -> forms.CharField:
    field = forms.CharField(
        label=label,
        required=False,
        max_length=40,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "dir": "ltr", "autocomplete": "off"}),
    )
    field.ascii_digits = True  # type: ignore[attr-defined]
    return field


def takes_mou_target(indicator: Indicator, gauge: Gauge) -> bool:
    return gauge.rule.kind == "target" and effective_target(indicator, gauge) == STAR


class TryForm(Form):
    """One input per thing the gauge's rule reads; nothing is required (the engine judges)."""

    def __init__(self, data: Any = None, *, indicator: Indicator, gauge: Gauge) -> None:
        super().__init__(data)
        self.indicator, self.gauge = indicator, gauge
        kind = gauge.rule.kind
        for field in gauge.fields:
            name = f"f_{field.code}"
            label = persian_digits(field.label)
            if field.type == "boolean":
                self.fields[name] = forms.ChoiceField(
                    label=label,
                    required=False,
                    choices=[("", "—"), (YES, _("yes")), (NO, _("no"))],
                    help_text=persian_digits(field.help),
                )
            elif field.type == "choice":
                options = [
                    (code, persian_digits(field.option_label(code))) for code in field.options or {}
                ]
                self.fields[name] = forms.ChoiceField(
                    label=label,
                    required=False,
                    choices=[("", "—"), *options],
                    help_text=persian_digits(field.help),
                )
            else:
                hint = FIELD_TYPE_LABELS[field.type]
                help_text = f"{hint}. {persian_digits(field.help)}" if field.help else hint
                self.fields[name] = _number_input(label, help_text)
        if takes_mou_target(indicator, gauge):
            self.fields["target"] = _number_input(
                str(_("Target agreed in the MoU")),
                _("This gauge's target is set for each agency in its MoU."),
            )
        rule: Any = gauge.rule
        if kind == "choice":
            self.fields["choice"] = forms.ChoiceField(
                label=_("Option chosen"),
                required=False,
                choices=[("", "—")]
                + [(code, persian_digits(rule.label(code))) for code in rule.options],
            )
        elif kind == "checklist":
            self.fields["checked"] = forms.MultipleChoiceField(
                label=_("Items done"),
                required=False,
                widget=forms.CheckboxSelectMultiple,
                choices=[
                    (item.code, persian_digits(f"{item.title} ({fa(item.points)})"))
                    for item in rule.items
                ],
            )
        elif kind == "judgement":
            self.fields["score"] = _number_input(
                str(_("Evaluator's score")),
                _("From zero to the gauge's max score."),
            )
        elif kind == "convergence":
            self.fields["self_total"] = _number_input(
                str(_("Self-assessment total")),
                _("The agency's own total over the whole catalogue."),
            )
            self.fields["others_total"] = _number_input(
                str(_("Final total of the other gauges")),
                _("The final score of every other gauge of the catalogue."),
            )
        if allows_not_applicable(indicator, gauge):
            self.fields["not_applicable"] = forms.BooleanField(
                label=_("Not applicable"), required=False
            )
            self.fields["reason"] = forms.CharField(
                label=_("Why it is not applicable"), required=False, max_length=500
            )
        style_widgets(self.fields)
        for input_field in self.fields.values():
            if isinstance(input_field.widget, forms.CheckboxSelectMultiple):
                input_field.widget.attrs["class"] = "form-check-input"

    def answer(self) -> tuple[dict[str, Any], Decimal | None]:
        """The answer as an answers file writes it, and the others' total for convergence."""
        data = self.cleaned_data if self.is_valid() else {}
        fields: dict[str, Any] = {}
        for field in self.gauge.fields:
            raw = data.get(f"f_{field.code}")
            if raw in (None, ""):
                continue
            fields[field.code] = raw == YES if field.type == "boolean" else raw
        answer: dict[str, Any] = {"fields": fields}
        for key in ("target", "choice", "score", "self_total"):
            if data.get(key):
                answer[key] = data[key]
        if "checked" in self.fields:
            answer["checked"] = list(data.get("checked") or [])
        if data.get("not_applicable"):
            answer["not_applicable"] = True
            if data.get("reason"):
                answer["reason"] = data["reason"]
        return answer, to_decimal(data.get("others_total"))


@dataclass
class Tried:
    result: GaugeResult
    status_label: str
    inputs: list[tuple[str, str]]


def try_rule(
    catalogue: Catalogue,
    indicator: Indicator,
    gauge: Gauge,
    answer: dict[str, Any],
    others_total: Decimal | None = None,
) -> Tried:
    """Score one answer with the engine, as a cycle would (the catalogue's max for convergence)."""
    result = score_gauge(indicator, gauge, answer, Env(catalogue.max_score, others_total))
    inputs = []
    for name, value in result.inputs.items():
        found = gauge.field(name)
        label = found.label if found else str(PROVIDED_NAMES.get(name, name))
        inputs.append((persian_digits(label), fa(value)))
    return Tried(result, STATUS_LABELS.get(result.status, result.status), inputs)
