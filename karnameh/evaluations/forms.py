from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from karnameh.accounts.models import EvaluatorScope
from karnameh.common.forms import Form


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
