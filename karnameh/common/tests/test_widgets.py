"""The fast widgets write, byte for byte, what Django's widget templates write."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import gettext_lazy

from karnameh.common import widgets
from karnameh.common.forms import JalaliDateInput


class _Blank:
    """Written as nothing, yet not empty: the input still gets its ``value``."""

    def __str__(self) -> str:
        return ""


class _Marked(SafeData):
    """Marked safe without being a string."""

    def __str__(self) -> str:
        return "<m>"


VALUES: list[Any] = [
    None,
    "",
    0,
    12,
    -3.5,
    Decimal("812.50"),
    "۱۲۳",
    "ادارهٔ کل استان",
    "<\"&'>",
    mark_safe("<b>safe</b>"),
    gettext_lazy("yes"),
    dt.date(2024, 3, 20),
    True,
    _Blank(),
]

ATTRS: list[dict[str, Any] | None] = [
    None,
    {},
    {"id": "id_cell", "required": True, "disabled": False},
    {"placeholder": None, "maxlength": 40, "min": 0, "data-zero": False},
    {"title": "<\"&'>", "aria-describedby": "id_cell_helptext", "data-safe": mark_safe("<i>")},
    {"title": gettext_lazy("no"), "data-tuple": (1, 2), "data-list": ["a", "<"]},
    {"disabled": True, "aria-invalid": "true", "class": "form-control is-invalid"},
    {"data-one": 1, "data-marked": _Marked(), "data-blank": _Blank(), "data-none": None},
]

INPUTS: list[tuple[type[forms.Widget], type[forms.Widget]]] = [
    (forms.TextInput, widgets.TextInput),
    (forms.NumberInput, widgets.NumberInput),
    (forms.HiddenInput, widgets.HiddenInput),
    (forms.Textarea, widgets.Textarea),
]

CHOICES: list[Any] = [
    ("", "—"),
    ("yes", gettext_lazy("yes")),
    ("no", '<خیر & "نه">'),
    (3, 3),
    ("safe", mark_safe("<b>ok</b>")),
    (Decimal("1.5"), Decimal("1234.5")),  # labels are localised, as the templates do
    ("day", dt.date(2024, 3, 20)),
]

GROUPED: list[Any] = [
    ("", "—"),
    ("گروه <یک>", [("a", "A"), ("b", "B"), (None, "none")]),
    (0, [("c", "C")]),
    ("z", "Z"),
]


def _both(stock: type[forms.Widget], fast: type[forms.Widget], **kwargs: Any) -> list[Any]:
    return [stock(**kwargs), fast(**kwargs)]


@pytest.mark.parametrize(("stock", "fast"), INPUTS)
@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize("attrs", ATTRS)
def test_an_input_writes_what_the_template_writes(
    stock: type[forms.Widget], fast: type[forms.Widget], value: Any, attrs: dict[str, Any] | None
) -> None:
    # given
    widget_attrs = {"class": "form-control", "dir": "ltr", "inputmode": "decimal"}
    django_widget, fast_widget = _both(stock, fast, attrs=widget_attrs)
    # when
    written = fast_widget.render("t-staff-0-name", value, attrs)
    # then
    assert written == django_widget.render("t-staff-0-name", value, attrs)
    assert isinstance(written, SafeString)


@pytest.mark.parametrize(("stock", "fast"), INPUTS)
def test_a_localized_input_writes_what_the_template_writes(
    stock: type[forms.Widget], fast: type[forms.Widget]
) -> None:
    # given
    django_widget, fast_widget = _both(stock, fast)
    django_widget.is_localized = fast_widget.is_localized = True
    # when
    written = fast_widget.render("amount", Decimal("1234.5"), {"id": "id_amount"})
    # then
    assert written == django_widget.render("amount", Decimal("1234.5"), {"id": "id_amount"})


def test_an_input_keeps_the_type_given_in_its_attrs() -> None:
    # given
    django_widget, fast_widget = _both(forms.TextInput, widgets.TextInput, attrs={"type": "tel"})
    # when
    written = fast_widget.render("phone", "0912", None)
    # then
    assert written == django_widget.render("phone", "0912", None)
    assert written.startswith('<input type="tel"')


@pytest.mark.parametrize("value", [None, "", "yes", "no", 3, "3", "safe", "missing", ["no"]])
@pytest.mark.parametrize("attrs", ATTRS)
def test_a_select_writes_what_the_template_writes(value: Any, attrs: dict[str, Any] | None) -> None:
    # given
    django_widget, fast_widget = _both(
        forms.Select, widgets.Select, attrs={"class": "form-select"}, choices=CHOICES
    )
    # when
    written = fast_widget.render("f_kind", value, attrs)
    # then
    assert written == django_widget.render("f_kind", value, attrs)
    assert isinstance(written, SafeString)


@pytest.mark.parametrize("value", [None, "a", "b", "c", "z", "None", ""])
def test_a_select_with_groups_writes_what_the_template_writes(value: Any) -> None:
    # given
    django_widget, fast_widget = _both(forms.Select, widgets.Select, choices=GROUPED)
    # when
    written = fast_widget.render("choice", value, {"id": "id_choice", "required": True})
    # then
    assert written == django_widget.render("choice", value, {"id": "id_choice", "required": True})
    assert '<optgroup label="گروه &lt;یک&gt;">' in written


@pytest.mark.parametrize("value", [None, [], ["yes"], ["yes", "no"], ("no", 3)])
def test_a_select_of_many_writes_what_the_template_writes(value: Any) -> None:
    # given
    django_widget, fast_widget = _both(forms.Select, widgets.Select, choices=CHOICES)
    django_widget.allow_multiple_selected = fast_widget.allow_multiple_selected = True
    # when
    written = fast_widget.render("checked", value, {"id": "id_checked"})
    # then
    assert written == django_widget.render("checked", value, {"id": "id_checked"})
    assert " multiple>" in written


def test_a_select_with_no_choices_writes_what_the_template_writes() -> None:
    # given
    django_widget, fast_widget = _both(forms.Select, widgets.Select)
    # when
    written = fast_widget.render("empty", None, {"disabled": True})
    # then
    assert written == django_widget.render("empty", None, {"disabled": True})


def test_a_callable_value_is_left_to_the_templates_which_call_it() -> None:
    # given
    django_widget, fast_widget = _both(forms.TextInput, widgets.TextInput)
    attrs = {"data-when": lambda: "called <now>"}
    # when
    written = fast_widget.render("cell", "x", attrs)
    # then
    assert written == django_widget.render("cell", "x", attrs)
    assert 'data-when="called &lt;now&gt;"' in written


class _CallableLabels(forms.Select):
    """Option labels the templates call (choices given as callables are called earlier)."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        label = option["label"]
        option["label"] = lambda: f"<{label}>"
        return option


class _FastCallableLabels(widgets.Select, _CallableLabels):
    pass


def test_a_callable_label_is_left_to_the_templates_which_call_it() -> None:
    # given
    django_widget, fast_widget = (
        _CallableLabels(choices=CHOICES),
        _FastCallableLabels(choices=CHOICES),
    )
    # when
    written = fast_widget.render("kind", "no", None)
    # then
    assert written == django_widget.render("kind", "no", None)
    assert ">&lt;—&gt;</option>" in written


def test_another_option_template_decides_how_options_are_written() -> None:
    # given
    django_widget, fast_widget = _both(forms.Select, widgets.Select, choices=CHOICES)
    option_template = "django/forms/widgets/input.html"
    django_widget.option_template_name = fast_widget.option_template_name = option_template
    # when
    written = fast_widget.render("kind", "no", None)
    # then
    assert written == django_widget.render("kind", "no", None)
    assert "<option" not in written


def test_another_renderer_is_left_to_render_its_own_templates() -> None:
    # given
    fast_widget = widgets.TextInput()
    wrote: list[str] = []

    class Recording(TemplatesSetting):
        def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
            wrote.append(template_name)
            return "<from the renderer>"

    # when
    written = fast_widget.render("cell", "x", None, renderer=Recording())
    # then
    assert written == "<from the renderer>"
    assert wrote == ["django/forms/widgets/text.html"]


def test_another_template_decides_what_is_written() -> None:
    # given
    django_widget, fast_widget = _both(forms.TextInput, widgets.TextInput)
    django_widget.template_name = fast_widget.template_name = "django/forms/widgets/textarea.html"
    # when
    written = fast_widget.render("note", "<a>", {"rows": 2})
    # then
    assert written == django_widget.render("note", "<a>", {"rows": 2})
    assert written.startswith("<textarea")


class _Answer(forms.Form):
    name = forms.CharField(max_length=20, help_text="<help>")
    kind = forms.ChoiceField(choices=CHOICES, required=False)
    count = forms.IntegerField(min_value=0)
    rows = forms.IntegerField(required=False, widget=forms.HiddenInput)
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    starts = forms.DateField(required=False, widget=JalaliDateInput)
    not_applicable = forms.BooleanField(required=False)


@pytest.mark.parametrize(
    "data",
    [None, {"name": "<x>", "kind": "no", "count": "-1", "rows": "3", "comment": "& ok"}],
)
def test_a_form_with_fast_widgets_renders_as_before(data: dict[str, str] | None) -> None:
    # given
    before = _Answer(data, initial={"name": "ادارهٔ کل", "kind": "yes", "count": 4})
    after = _Answer(data, initial={"name": "ادارهٔ کل", "kind": "yes", "count": 4})
    # when
    widgets.use_fast_widgets(after.fields.values())
    # then
    assert str(after) == str(before)
    assert [type(f.widget) for f in after.fields.values()] == [
        widgets.TextInput,
        widgets.Select,
        widgets.NumberInput,
        widgets.HiddenInput,
        widgets.Textarea,
        JalaliDateInput,
        forms.CheckboxInput,
    ]


def test_fast_widgets_touch_only_the_form_they_are_given() -> None:
    # given
    form = _Answer()
    # when
    widgets.use_fast_widgets(form.fields.values())
    # then
    assert type(_Answer().fields["name"].widget) is forms.TextInput
    assert type(_Answer.base_fields["name"].widget) is forms.TextInput
