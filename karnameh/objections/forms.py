from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from karnameh.assessments.answers import MAX_TEXT
from karnameh.assessments.models import Part
from karnameh.common.forms import Form, JalaliDateField

from .models import ObjectionState


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files in one input; each is checked by ``files.store_upload`` in the service."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if isinstance(data, list | tuple):
            return [super(FilesField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class FileForm(Form):
    reasoning = forms.CharField(
        label=_("Reasoning of the objection"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    files = FilesField(label=_("New evidence (optional; one or more files)"))  # type: ignore[assignment]


class RecordForm(FileForm):
    """An objection brought in person, entered by staff."""

    participation = forms.IntegerField(label=_("Agency"), widget=forms.Select)
    part = forms.ChoiceField(label=_("Part"), choices=Part.choices)
    gauge = forms.CharField(label=_("Gauge code"), max_length=30)
    representative = forms.CharField(
        label=_("Who brought it on the agency's behalf"), max_length=200, required=False
    )
    gauge.ascii_digits = True  # type: ignore[attr-defined]
    field_order = ["participation", "part", "gauge", "representative", "reasoning", "files"]

    def __init__(self, *args: Any, agencies: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participation"].widget.choices = agencies


class WithdrawForm(Form):
    reason = forms.CharField(
        label=_("Why it is withdrawn (optional)"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RouteForm(Form):
    group = forms.IntegerField(label=_("Expert group"), widget=forms.Select)

    def __init__(self, *args: Any, groups: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].widget.choices = groups


OUTCOMES = [("accept", _("Accept: the new answer below gives the score")), ("reject", _("Reject"))]


class DecisionForm(Form):
    """Posted with the gauge's answer form (``assessments.forms.AnswerForm``), prefixed."""

    outcome = forms.ChoiceField(label=_("Decision"), choices=OUTCOMES, widget=forms.RadioSelect)
    reasons = forms.CharField(
        label=_("Reasons for the decision (the agency reads them)"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    meeting = forms.IntegerField(label=_("Decided in the meeting"), required=False)

    def __init__(self, *args: Any, meetings: Any = (), **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "d")
        super().__init__(*args, **kwargs)
        self.fields["meeting"].widget = forms.Select(
            choices=[("", _("in the system, not in a meeting")), *meetings],
            attrs={"class": "form-select"},
        )


class GroupForm(Form):
    name = forms.CharField(label=_("Name of the group"), max_length=200)
    members = forms.MultipleChoiceField(
        label=_("Members"), widget=forms.CheckboxSelectMultiple, choices=()
    )

    def __init__(self, *args: Any, people: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = people  # type: ignore[attr-defined]


class MembersForm(Form):
    members = forms.MultipleChoiceField(
        label=_("Members"), widget=forms.CheckboxSelectMultiple, choices=()
    )

    def __init__(self, *args: Any, people: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = people  # type: ignore[attr-defined]


class MeetingForm(Form):
    held_on = JalaliDateField(label=_("Date of the meeting"))
    present = forms.MultipleChoiceField(
        label=_("Members present"), widget=forms.CheckboxSelectMultiple, choices=()
    )
    minutes = forms.FileField(label=_("Minutes of the meeting (صورت‌جلسه)"))
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, people: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = people  # type: ignore[attr-defined]


STATE_FILTER = [("", _("every state")), *ObjectionState.choices]
