"""Form pieces every page uses: Persian-normalised text and Jalali dates."""

import datetime as dt
from typing import Any

from django import forms

from .jalali import JalaliDateError, format_jalali_date, parse_jalali_date
from .text import normalize_fa, normalize_input


class JalaliDateInput(forms.TextInput):
    """A plain text box for ``۱۴۰۳/۰۲/۱۰``: the browser's Gregorian date picker would mislead."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        defaults = {"placeholder": "۱۴۰۳/۰۱/۰۱", "dir": "ltr", "inputmode": "numeric"}
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, dt.date):
            return format_jalali_date(value)
        return super().format_value(value)


class JalaliDateField(forms.Field):
    widget = JalaliDateInput

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.date):
            return value
        try:
            return parse_jalali_date(str(value))
        except JalaliDateError as error:
            raise forms.ValidationError(str(error), code="invalid") from None


def style_widgets(fields: dict[str, forms.Field]) -> None:
    """Bootstrap classes on every widget, so templates render fields with no per-form code."""
    for field in fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs.setdefault("class", css)


class PersianFormMixin:
    """Normalises what people type: Arabic letters to Persian, Persian digits to ASCII.

    Names and free text keep Persian digits as typed (only letters are normalised); fields
    whose widget is numeric or a code get ASCII digits. Passwords are never touched, nor
    fields marked ``keep_as_typed`` (a pasted catalogue file: its codes, expressions and line
    breaks are the meaning).
    """

    def full_clean(self) -> None:
        data = getattr(self, "data", None)
        if data is not None and hasattr(data, "copy"):
            data = data.copy()
            fields: dict[str, forms.Field] = self.fields  # type: ignore[attr-defined]
            for name, field in fields.items():
                key = self.add_prefix(name)  # type: ignore[attr-defined]
                if (
                    key not in data
                    or isinstance(field.widget, forms.PasswordInput)
                    or getattr(field, "keep_as_typed", False)
                ):
                    continue
                values = data.getlist(key) if hasattr(data, "getlist") else [data[key]]
                cleaned = [
                    (normalize_input(v) if _wants_ascii(field) else normalize_fa(v))
                    if isinstance(v, str)
                    else v
                    for v in values
                ]
                if hasattr(data, "setlist"):
                    data.setlist(key, cleaned)
                else:
                    data[key] = cleaned[0]
            self.data = data
        super().full_clean()  # type: ignore[misc]


def _wants_ascii(field: forms.Field) -> bool:
    return isinstance(
        field,
        forms.IntegerField | forms.DecimalField | forms.FloatField | JalaliDateField,
    ) or bool(getattr(field, "ascii_digits", False))


class Form(PersianFormMixin, forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self.fields)


class ModelForm(PersianFormMixin, forms.ModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self.fields)
