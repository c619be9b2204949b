from django import forms
from django.utils.translation import gettext_lazy as _

from karnameh.common.forms import Form


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
