"""Forms of the cycle pages. They only read input; the services check and refuse."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from karnameh.agencies.models import Agency, Province
from karnameh.catalogue.models import Catalogue, Kind, Level
from karnameh.catalogue.selectors import visible_catalogues
from karnameh.common.forms import Form, JalaliDateField
from karnameh.common.text import persian_digits
from karnameh.scoring import Catalogue as EngineCatalogue

from .deadlines import TEHRAN
from .models import Cycle, Step, Workshop
from .selectors import managed_provinces
from .steps import WORKSHOP_STEPS


def _reason() -> forms.CharField:
    return forms.CharField(
        label=_("Reason for the change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Written in the audit log with the change."),
    )


class CompositionForm(Form):
    general = forms.DecimalField(
        label=_("Share of the general indicators (%)"), min_value=0, max_value=100, initial=70
    )
    specific = forms.DecimalField(
        label=_("Share of the specific indicators (%)"), min_value=0, max_value=100, initial=30
    )

    def composition(self) -> dict[str, Decimal]:
        return {"general": self.cleaned_data["general"], "specific": self.cleaned_data["specific"]}


class CycleCreateForm(CompositionForm):
    year = forms.IntegerField(label=_("Year (Jalali)"), min_value=1300, max_value=1500)
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices, initial=Level.PROVINCIAL)
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=Province.objects.none(),
        required=False,
        help_text=_("Leave empty for a national cycle."),
    )
    general_catalogue = forms.ModelChoiceField(
        label=_("Catalogue of general indicators"), queryset=Catalogue.objects.none()
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    start = JalaliDateField(label=_("First day of the first step"))

    field_order = ["year", "level", "province", "general_catalogue", "title", "start"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].widget.attrs["dir"] = "ltr"
        province = self.fields["province"]
        catalogue = self.fields["general_catalogue"]
        assert isinstance(province, forms.ModelChoiceField)
        assert isinstance(catalogue, forms.ModelChoiceField)
        province.queryset = managed_provinces(user)
        catalogue.queryset = visible_catalogues(user).filter(kind=Kind.GENERAL).order_by("-year")


class CycleEditForm(CompositionForm):
    title = forms.CharField(label=_("Title"), max_length=300)
    reason = _reason()

    field_order = ["title", "general", "specific", "reason"]

    @classmethod
    def for_cycle(cls, data: Any, cycle: Cycle) -> "CycleEditForm":
        composition = cycle.composition or {}
        initial = {
            "title": cycle.title,
            "general": composition.get("general", 0),
            "specific": composition.get("specific", 0),
        }
        return cls(data, initial=initial)


class StepForm(Form):
    planned_start = JalaliDateField(label=_("Planned start"))
    planned_end = JalaliDateField(label=_("Planned end"))

    @classmethod
    def for_step(cls, data: Any, step: Step) -> "StepForm":
        return cls(
            data,
            prefix=f"step{step.number}",
            initial={"planned_start": step.planned_start, "planned_end": step.planned_end},
        )


class CalendarReasonForm(Form):
    reason = _reason()


class ParticipantsForm(Form):
    agencies = forms.ModelMultipleChoiceField(
        label=_("Participating agencies"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = _reason()

    def __init__(self, *args: Any, eligible: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agencies"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = eligible


class WeightsForm(Form):
    """One weight per general indicator; empty means 1."""

    reason = _reason()

    def __init__(
        self, *args: Any, catalogue: EngineCatalogue, stored: dict[str, Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.codes: dict[str, str] = {}
        for number, indicator in enumerate(catalogue.indicators()):
            name = f"w{number}"
            self.codes[name] = indicator.code
            self.fields[name] = forms.DecimalField(
                label=persian_digits(f"{indicator.code} {indicator.title}"),
                required=False,
                min_value=0,
                initial=stored.get(indicator.code, 1),
                widget=forms.NumberInput(attrs={"dir": "ltr", "step": "any"}),
            )
        self.order_fields([*self.codes, "reason"])
        for field in self.fields.values():
            if not isinstance(field.widget, forms.Textarea):
                field.widget.attrs.setdefault("class", "form-control")

    def weights(self) -> dict[str, Decimal]:
        return {
            code: self.cleaned_data[name]
            for name, code in self.codes.items()
            if self.cleaned_data.get(name) is not None
        }


class UploadForm(Form):
    upload = forms.FileField(label=_("File"))


def _workshop_steps() -> list[tuple[int, str]]:
    # Built when the form is, so the step numbers come out in Persian digits.
    audience = {2: gettext("evaluators"), 4: gettext("agencies")}
    return [
        (
            number,
            gettext("Step %(number)s: %(audience)s")
            % {"number": persian_digits(number), "audience": audience[number]},
        )
        for number in WORKSHOP_STEPS
    ]


class WorkshopForm(Form):
    step = forms.TypedChoiceField(
        label=_("Step"),
        coerce=int,
        choices=_workshop_steps,
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    audience = forms.ChoiceField(label=_("Audience"), choices=Workshop.Audience.choices)
    day = JalaliDateField(label=_("Date"))
    time = forms.TimeField(
        label=_("Time"), widget=forms.TimeInput(attrs={"dir": "ltr", "placeholder": "۰۹:۰۰"})
    )
    place = forms.CharField(label=_("Place"), max_length=300)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time"].ascii_digits = True  # type: ignore[attr-defined]

    @classmethod
    def for_workshop(cls, data: Any, workshop: Workshop | None) -> "WorkshopForm":
        if workshop is None:
            return cls(data, initial={"step": WORKSHOP_STEPS[-1], "audience": "agencies"})
        local = timezone.localtime(workshop.starts_at, TEHRAN)
        initial = {
            "step": workshop.step,
            "title": workshop.title,
            "audience": workshop.audience,
            "day": local.date(),
            "time": local.strftime("%H:%M"),
            "place": workshop.place,
            "description": workshop.description,
        }
        return cls(data, initial=initial)

    def starts_at(self) -> dt.datetime:
        """The date and time as typed, in Tehran."""
        return dt.datetime.combine(self.cleaned_data["day"], self.cleaned_data["time"], TEHRAN)


class AttendanceForm(Form):
    """A row per participating agency (its representative) and a few for other people."""

    EXTRA = 3

    def __init__(self, *args: Any, agencies: list[Any], existing: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        by_agency = {row.agency_id: row for row in existing if row.agency_id}
        others = [row for row in existing if not row.agency_id]
        self.agency_rows: list[tuple[Any, str, str]] = []
        for agency in agencies:
            row = by_agency.get(agency.pk)
            name, came = f"name_{agency.pk}", f"came_{agency.pk}"
            self.fields[name] = forms.CharField(
                label=_("Representative"),
                required=False,
                initial=row.name if row and row.name != agency.name else "",
            )
            self.fields[came] = forms.BooleanField(
                label=_("Attended"), required=False, initial=bool(row and row.attended)
            )
            self.agency_rows.append((agency, name, came))
        self.other_rows: list[tuple[str, str]] = []
        for number in range(len(others) + self.EXTRA):
            row = others[number] if number < len(others) else None
            name, came = f"other_name_{number}", f"other_came_{number}"
            self.fields[name] = forms.CharField(
                label=_("Name"), required=False, initial=row.name if row else ""
            )
            self.fields[came] = forms.BooleanField(
                label=_("Attended"), required=False, initial=bool(row and row.attended)
            )
            self.other_rows.append((name, came))
        for field in self.fields.values():
            css = "form-check-input" if isinstance(field, forms.BooleanField) else "form-control"
            field.widget.attrs["class"] = css

    def table(self) -> list[tuple[Any, forms.BoundField, forms.BoundField]]:
        """What the page shows: the agency (None for another person) and its two inputs."""
        shown = [(agency, self[name], self[came]) for agency, name, came in self.agency_rows]
        shown += [(None, self[name], self[came]) for name, came in self.other_rows]
        return shown

    def rows(self) -> list[tuple[Any, None, str, bool]]:
        data = self.cleaned_data
        found: list[tuple[Any, None, str, bool]] = []
        for agency, name, came in self.agency_rows:
            if data[name].strip() or data[came]:
                found.append((agency, None, data[name], data[came]))
        for name, came in self.other_rows:
            if data[name].strip() or data[came]:
                found.append((None, None, data[name], data[came]))
        return found
