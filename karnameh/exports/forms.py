from django import forms
from django.utils.translation import gettext_lazy as _

from karnameh.common.forms import Form


class PackageForm(Form):
    package = forms.FileField(
        label=_("The province's package (.json)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )
    replace = forms.BooleanField(
        label=_("Replace the imported package of the same province"), required=False
    )
