from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from karnameh.common.forms import Form

from .models import NominationKind


class ApproveForm(Form):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CouncilForm(Form):
    minutes = forms.FileField(
        label=_("Minutes of the council's meeting (صورت‌جلسه)"), required=False
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReopenForm(Form):
    reason = forms.CharField(
        label=_("Reason for reopening"), widget=forms.Textarea(attrs={"rows": 2})
    )


class PolicyForm(Form):
    festival_size = forms.IntegerField(
        label=_("Agencies honoured per peer group"), min_value=1, max_value=50
    )


class AgencyChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.agency.name)


class NominationForm(Form):
    participation = AgencyChoice(label=_("Agency"), queryset=None)
    kind = forms.ChoiceField(label=_("Nominated as"), choices=NominationKind.choices)
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    reason = forms.CharField(
        label=_("Reason for the nomination"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, cycle: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["participation"]
        assert isinstance(field, AgencyChoice)
        field.queryset = cycle.participations.select_related("agency").order_by("agency__code")
