from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from karnameh.accounts.models import EvaluatorScope
from karnameh.assessments.answers import MAX_TEXT
from karnameh.assessments.forms import AnswerForm
from karnameh.common.forms import Form
from karnameh.scoring import Gauge, Indicator


class AssignForm(Form):
    participation = forms.IntegerField(label=_("Agency"), widget=forms.Select)
    evaluator = forms.IntegerField(label=_("Evaluator"), widget=forms.Select)
    scope = forms.ChoiceField(label=_("Part"), choices=EvaluatorScope.choices)
    axes = forms.CharField(
        label=_("Axes (codes, separated by commas; empty for the whole part)"), required=False
    )
    axes.ascii_digits = True  # type: ignore[attr-defined]

    def __init__(self, *args: Any, agencies: Any = (), evaluators: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participation"].widget.choices = agencies
        self.fields["evaluator"].widget.choices = evaluators

    def axis_codes(self) -> list[str]:
        text = self.cleaned_data["axes"].replace("،", ",")
        return [code.strip() for code in text.split(",") if code.strip()]


class RemoveForm(Form):
    reason = forms.CharField(label=_("Reason for the removal"), max_length=500)


class ConflictForm(Form):
    evaluator = forms.CharField(label=_("Evaluator (username)"), max_length=150)
    agency = forms.CharField(label=_("Agency code"), max_length=40)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    evaluator.ascii_digits = True  # type: ignore[attr-defined]
    agency.ascii_digits = True  # type: ignore[attr-defined]


class ReviewForm(AnswerForm):
    """The agency's gauge form (``assessments.forms.AnswerForm``) as the evaluator fills it:
    the same inputs read into the same answer object, the judgement input being the
    evaluator's score, and the notes of deficiencies in place of the agency's comment."""

    def __init__(
        self,
        data: Any = None,
        *,
        indicator: Indicator,
        gauge: Gauge,
        stored: dict[str, Any] | None = None,
        deficiencies: str = "",
        version: int = 0,
        disabled: bool = False,
    ) -> None:
        super().__init__(
            data,
            indicator=indicator,
            gauge=gauge,
            stored=stored,
            version=version,
            disabled=disabled,
        )
        self.fields.pop("comment", None)
        if "score" in self.fields:
            self.fields["score"].label = _("Evaluator's score")
        self.fields["deficiencies"] = forms.CharField(
            label=_("Deficiencies"),
            required=False,
            max_length=MAX_TEXT,
            help_text=_(
                "Required when your score is below the agency's self-score; the agency reads it."
            ),
            widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
            disabled=disabled,
        )
        # Kept as typed (line breaks are the list); the service normalises each line.
        self.fields["deficiencies"].keep_as_typed = True  # type: ignore[attr-defined]
        self.initial["deficiencies"] = deficiencies

    def plain_fields(self) -> list[forms.BoundField]:
        return [f for f in super().plain_fields() if f.name != "deficiencies"]

    def deficiencies(self) -> str:
        return str(self.cleaned_data.get("deficiencies") or "")


class ConsensusForm(Form):
    note = forms.CharField(
        label=_("Consensus note"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )
    note.keep_as_typed = True  # type: ignore[attr-defined]


class ReturnForm(Form):
    reason = forms.CharField(label=_("Reason for the return"), max_length=500)
