"""The answer form: one «try the rule» form per gauge the inquiry feeds, and the letter's details.

Each gauge's inputs carry the gauge code as a prefix (``g4.2.1-score``), so one page answers
several gauges; ``answers()`` reads them into the object ``services.inquiry_answer`` and the
API take: ``{gauge code: answer}`` in the form of ``assessments.Answer.data``.
"""

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from karnameh.catalogue.trying import NO, YES, TryForm
from karnameh.common.forms import Form
from karnameh.common.text import persian_digits
from karnameh.scoring import Gauge, Indicator
from karnameh.scoring.numbers import fa, to_decimal

from .services import MAX_REASON

# What a body never enters: the MoU target and the convergence totals.
NOT_ENTERED = ("target", "self_total", "others_total")


def _shown(value: Any) -> Any:
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, str | int | float):
        return persian_digits(value)
    return value


class GaugeForm(TryForm):
    def __init__(
        self,
        data: QueryDict | None = None,
        *,
        indicator: Indicator,
        gauge: Gauge,
        stored: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(data, indicator=indicator, gauge=gauge)
        self.prefix = f"g{gauge.code}"
        for name in NOT_ENTERED:
            self.fields.pop(name, None)
        for field in gauge.fields:
            if field.source is not None:
                self.fields.pop(f"f_{field.code}", None)
        if "score" in self.fields:
            self.fields["score"].label = _("Score given by the body")
            self.fields["score"].help_text = _("From zero to %(max)s.") % {
                "max": fa(gauge.max_score)
            }
        self.initial = self._initial(stored or {})

    def _initial(self, stored: dict[str, Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for code, value in (stored.get("fields") or {}).items():
            initial[f"f_{code}"] = _shown(value)
        for key in ("choice", "checked", "reason"):
            if key in stored:
                initial[key] = stored[key]
        if "score" in stored:
            initial["score"] = _shown(stored["score"])
        if stored.get("not_applicable"):
            initial["not_applicable"] = True
        return initial


class DetailsForm(Form):
    """What goes with the answer: a correction's reason, the letter, retry and version keys."""

    reason = forms.CharField(
        label=gettext_lazy("Why the answer is corrected"),
        required=False,
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reference = forms.CharField(
        label=gettext_lazy("Letter number and date, or the other system's reference"),
        required=False,
        max_length=100,
    )
    letter = forms.FileField(label=gettext_lazy("The body's letter"), required=False)
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    key = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)

    def __init__(self, *args: Any, letter: bool = False, correcting: bool = False, **kw: Any):
        super().__init__(*args, **kw)
        if not letter:
            self.fields.pop("letter")
        if not correcting:
            self.fields.pop("reason")


class AnswerForms:
    """The gauge forms of one inquiry and its details form, read and checked together."""

    def __init__(
        self,
        gauges: list[tuple[Indicator, Gauge]],
        stored: dict[str, dict[str, Any]],
        *,
        data: QueryDict | None = None,
        files: Any = None,
        letter: bool = False,
        correcting: bool = False,
        initial: dict[str, Any] | None = None,
    ) -> None:
        self.gauges = [
            GaugeForm(data, indicator=indicator, gauge=gauge, stored=stored.get(gauge.code))
            for indicator, gauge in gauges
        ]
        self.details = DetailsForm(
            data, files, letter=letter, correcting=correcting, initial=initial or {}
        )

    def is_valid(self) -> bool:
        return all([form.is_valid() for form in self.gauges]) and self.details.is_valid()

    def answers(self) -> dict[str, dict[str, Any]]:
        return {form.gauge.code: form.answer()[0] for form in self.gauges}

    def value(self, name: str) -> Any:
        return self.details.cleaned_data.get(name)


def _number(value: Any) -> str:
    number = to_decimal(value)
    return fa(number) if number is not None else persian_digits(value)


def answer_lines(gauge: Gauge, data: dict[str, Any] | None) -> list[tuple[str, str]]:
    """A stored answer as people read it: (what, value) lines."""
    data = data or {}
    if data.get("not_applicable"):
        return [(_("Not applicable"), persian_digits(data.get("reason") or ""))]
    lines: list[tuple[str, str]] = []
    for code, value in (data.get("fields") or {}).items():
        field = gauge.field(code)
        label = persian_digits(field.label) if field else code
        if isinstance(value, bool):
            lines.append((label, _("yes") if value else _("no")))
        elif field is not None and field.type == "choice" and isinstance(value, str):
            lines.append((label, persian_digits(field.option_label(value))))
        else:
            lines.append((label, _number(value)))
    rule: Any = gauge.rule
    if data.get("choice"):
        lines.append((_("Option chosen"), persian_digits(rule.label(data["choice"]))))
    if gauge.rule.kind == "checklist" and "checked" in data:
        titles = {item.code: item.title for item in rule.items}
        done = [persian_digits(titles.get(c, c)) for c in data.get("checked") or []]
        lines.append((_("Items done"), "، ".join(done) or "—"))
    if data.get("score") not in (None, ""):
        lines.append((_("Score given by the body"), _number(data["score"])))
    return lines
