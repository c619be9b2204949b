import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class StartForm(forms.Form):
    """What other apps' pages post to /jobs/start/: the kind, the cycle, and JSON parameters."""

    kind = forms.CharField(label=_("job kind"), max_length=60)
    cycle = forms.IntegerField(label=_("cycle"), min_value=1)
    params = forms.CharField(label=_("parameters"), required=False, max_length=4000)

    def clean_params(self) -> dict[str, Any]:
        raw = self.cleaned_data.get("params") or ""
        if not raw.strip():
            return {}
        try:
            loaded = json.loads(raw)
        except ValueError as error:
            raise forms.ValidationError(_("The job's parameters are not valid.")) from error
        if not isinstance(loaded, dict):
            raise forms.ValidationError(_("The job's parameters are not valid."))
        return loaded
