"""The improvement plan's form: a summary, the version edited, and rows of actions.

The action rows are parallel lists (``gauge``, ``action``, ``owner``, ``due``) so the page can
hold any number of them; ``plans.clean_actions`` checks them and names the row at fault.
"""

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from .plans import FIELDS


class PlanForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary of the plan"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


def posted_actions(data: QueryDict) -> list[dict[str, Any]]:
    columns = {name: data.getlist(name) for name in FIELDS}
    count = max((len(v) for v in columns.values()), default=0)
    return [
        {name: (columns[name][i] if i < len(columns[name]) else "") for name in FIELDS}
        for i in range(count)
    ]
