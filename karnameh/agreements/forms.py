"""The MoU pages' forms: one input per gauge that takes an MoU target, and the small actions."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from karnameh.catalogue.models import Catalogue
from karnameh.common.forms import Form, style_widgets
from karnameh.common.text import persian_digits
from karnameh.scoring import Gauge, Indicator
from karnameh.scoring.model import UNIT_LABELS
from karnameh.scoring.numbers import plain

from .services import Key


def field_name(key: Key) -> str:
    part, code = key
    return f"t__{part}__{code}"


class TargetsForm(Form):
    """Numbers may be typed with Persian digits; the service checks and names each gauge."""

    def __init__(
        self,
        data: Any = None,
        *,
        needed: list[tuple[str, Indicator, Gauge]],
        values: dict[Key, Decimal],
        reason_required: bool = False,
        prefix: str | None = None,
    ) -> None:
        super().__init__(data, prefix=prefix)
        self.rows: list[dict[str, Any]] = []
        for part, indicator, gauge in needed:
            key = (part, gauge.code)
            name = field_name(key)
            unit = UNIT_LABELS.get(indicator.unit or "", "")
            field = forms.CharField(
                label=persian_digits(f"{gauge.code}. {gauge.title}"),
                required=False,
                max_length=40,
                initial=plain(values[key]) if key in values else "",
                widget=forms.TextInput(
                    attrs={"inputmode": "decimal", "dir": "ltr", "autocomplete": "off"}
                ),
            )
            field.ascii_digits = True  # type: ignore[attr-defined]
            self.fields[name] = field
            self.rows.append(
                {
                    "key": key,
                    "name": name,
                    "part": part,
                    "indicator": indicator,
                    "gauge": gauge,
                    "unit": unit,
                }
            )
        self.fields["reason"] = forms.CharField(
            label=_("Reason"), required=reason_required, widget=forms.Textarea(attrs={"rows": 2})
        )
        style_widgets(self.fields)

    def bound_rows(self) -> list[dict[str, Any]]:
        return [row | {"field": self[row["name"]]} for row in self.rows]

    def targets(self) -> dict[Key, str]:
        return {row["key"]: self.cleaned_data.get(row["name"], "") for row in self.rows}


class AssignForm(Form):
    catalogue = forms.ModelChoiceField(
        label=_("Specific indicators"), queryset=Catalogue.objects.none(), to_field_name="code"
    )
    reason = forms.CharField(label=_("Reason"), required=False)

    def __init__(self, data: Any = None, *, catalogues: Any) -> None:
        super().__init__(data)
        field = self.fields["catalogue"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = catalogues


class SliceForm(Form):
    source = forms.ModelChoiceField(
        label=_("National specific indicators"),
        queryset=Catalogue.objects.none(),
        to_field_name="code",
    )
    code = forms.SlugField(label=_("Code of the slice"), max_length=80)
    title = forms.CharField(label=_("Title of the slice"), max_length=500)

    def __init__(self, data: Any = None, *, sources: Any) -> None:
        super().__init__(data)
        field = self.fields["source"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = sources
        self.fields["code"].ascii_digits = True  # type: ignore[attr-defined]
        self.fields["code"].widget.attrs["dir"] = "ltr"


class ImportForm(Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
