from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from karnameh.agencies.models import Agency
from karnameh.common.forms import Form, style_widgets
from karnameh.common.text import persian_digits
from karnameh.cycles.models import Cycle
from karnameh.cycles.selectors import visible_cycles

from .models import RATING_MAX, RATING_MIN, SURVEY_QUESTIONS, FeedbackKind
from .selectors import author_agencies

RATING_WORDS = {
    1: _("very poor"),
    2: _("poor"),
    3: _("fair"),
    4: _("good"),
    5: _("excellent"),
}


def _rating_choices() -> list[tuple[str, str]]:
    choices = [("", "—")]
    for number in range(RATING_MIN, RATING_MAX + 1):
        choices.append((str(number), f"{persian_digits(number)} – {RATING_WORDS[number]}"))
    return choices


class FeedbackForm(Form):
    """One form for the three kinds; a survey adds its fixed questions, rated 1 to 5."""

    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    cycle = forms.ModelChoiceField(
        label=_("About the cycle"),
        queryset=Cycle.objects.none(),
        required=False,
        help_text=_("Leave empty if it is not about one cycle."),
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args: Any, user: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        agency_field = self.fields["agency"]
        assert isinstance(agency_field, forms.ModelChoiceField)
        agencies = list(author_agencies(user))
        agency_field.queryset = author_agencies(user)
        # Nothing to choose for the usual author, who writes for one agency only.
        self.only_agency = agencies[0] if len(agencies) == 1 else None
        if self.only_agency is not None:
            del self.fields["agency"]
        cycle_field = self.fields["cycle"]
        assert isinstance(cycle_field, forms.ModelChoiceField)
        cycle_field.queryset = visible_cycles(user)
        if kind == FeedbackKind.SURVEY:
            self.fields["body"].label = _("Comments")
            self.fields["body"].required = False
            for key, label in SURVEY_QUESTIONS:
                self.fields[f"rating_{key}"] = forms.ChoiceField(
                    label=label, choices=_rating_choices(), required=True
                )
        # The survey's fields came after the base class styled the others.
        style_widgets(self.fields)

    def chosen_agency(self) -> Agency:
        chosen: Agency = self.only_agency or self.cleaned_data["agency"]
        return chosen

    def ratings(self) -> dict[str, str] | None:
        if self.kind != FeedbackKind.SURVEY:
            return None
        return {key: self.cleaned_data[f"rating_{key}"] for key, _label in SURVEY_QUESTIONS}


class AnswerForm(Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 5}))


class TrackForm(Form):
    number = forms.CharField(
        label=_("Tracking number"),
        max_length=30,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["number"].ascii_digits = True  # type: ignore[attr-defined]
        self.fields["number"].widget.attrs["dir"] = "ltr"
        self.fields["number"].help_text = _("For example %(number)s.") % {
            "number": persian_digits("FB-1403-000042")
        }
