"""Forms for moving a self-assessment along the workflow, and for an agency's extension."""

import datetime as dt
import re
import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from karnameh.common.forms import Form, JalaliDateField
from karnameh.common.text import ascii_digits
from karnameh.cycles.deadlines import TEHRAN, end_of_day

from .workflow import Transition

_TIME = re.compile(r"^\s*(\d{1,2})\s*:\s*(\d{2})\s*$")


class TransitionForm(Form):
    """One transition: the version the page showed, an idempotency key, reason and minutes.

    The service is the judge of what is required (it refuses a missing reason or minutes with
    its own message); the form marks the fields required only so the browser says so first.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    key = forms.CharField(widget=forms.HiddenInput, max_length=100, required=False)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to the agency and kept in the record."),
    )
    minutes = forms.FileField(
        label=_("Minutes of the steering council's meeting"),
        required=False,
        help_text=_("PDF, Word, OpenDocument or a scanned image."),
    )

    def __init__(self, *args: Any, row: Transition, version: int, **kwargs: Any) -> None:
        # A fresh key per rendered form: a double click or a retried post is applied once.
        initial = {"version": version, "key": uuid.uuid4().hex, **kwargs.pop("initial", {})}
        super().__init__(*args, initial=initial, **kwargs)
        self.row = row
        self.prefix = row.name
        if row.needs_reason:
            self.fields["reason"].required = True
        else:
            del self.fields["reason"]
        if row.needs_minutes:
            self.fields["minutes"].required = True
        else:
            del self.fields["minutes"]


class ExtensionForm(Form):
    """A new deadline for one agency: a Jalali date, and a time (or the end of that day)."""

    date = JalaliDateField(label=_("New deadline (date)"))
    time = forms.CharField(
        label=_("Time (optional)"),
        required=False,
        max_length=5,
        widget=forms.TextInput(attrs={"placeholder": "۱۴:۰۰", "dir": "ltr"}),
        help_text=_("Leave empty to keep it open until the end of that day."),
    )
    reason = forms.CharField(
        label=_("Reason for the extension"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown to the agency and kept in the record."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time"].ascii_digits = True  # type: ignore[attr-defined]

    def clean_time(self) -> dt.time | None:
        text = ascii_digits(self.cleaned_data.get("time") or "")
        if not text.strip():
            return None
        match = _TIME.match(text)
        hour, minute = (int(part) for part in match.groups()) if match else (99, 99)
        if hour > 23 or minute > 59:
            raise forms.ValidationError(
                _("“%(text)s” is not a time; enter it as 14:30 (hour:minute).") % {"text": text},
                code="invalid",
            )
        return dt.time(hour, minute)

    def until(self) -> dt.datetime:
        """The moment the extension ends, in Tehran (stored in UTC by the service)."""
        day: dt.date = self.cleaned_data["date"]
        at: dt.time | None = self.cleaned_data.get("time")
        if at is None:
            return end_of_day(day)
        return dt.datetime.combine(day, at, tzinfo=TEHRAN)
