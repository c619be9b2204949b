"""Widgets that write their HTML in Python rather than through the form renderer's templates.

A gauge page holds a couple of hundred inputs, and rendering each through Django's templates
(the widget's own, ``input.html``, ``attrs.html``, one ``select_option.html`` per option) took
most of the page's time. These write the very markup Django 5.2's templates write (the tests
compare the two byte for byte) and leave to the templates whatever those would treat in their
own way: another renderer, another template, a callable value (templates call it).
"""

from collections.abc import Callable, Iterable
from html import escape as escape_html
from typing import Any

from django import forms
from django.forms.renderers import BaseRenderer, DjangoTemplates, get_default_renderer
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]  # no stub

_OPTION_TEMPLATE = forms.Select.option_template_name


class _Unusual(Exception):
    """A value the templates would treat in their own way: render through them instead."""


def _shown(value: Any) -> str:
    """``{{ value }}``: localised and escaped as a template writes it."""
    if value.__class__ is str:
        # Most values: a plain string is only escaped (``conditional_escape`` costs more).
        return escape_html(value)
    if callable(value):
        raise _Unusual
    value = localize(template_localtime(value))
    return conditional_escape(value if isinstance(value, str) else str(value))


def _formatted(value: Any) -> str:
    """``{{ value|stringformat:'s' }}``: ``%s`` of the value, escaped unless marked safe."""
    if value.__class__ is str:
        return escape_html(value)
    if callable(value):
        raise _Unusual
    try:
        # Wrapped, a tuple is written whole: the filter's ``str()`` of tuples.
        text = "%s" % (value,)  # noqa: UP031
    except (TypeError, ValueError):
        text = ""
    # The filter keeps marked-safe input safe; everything else is escaped below.
    safe = isinstance(value, SafeData)
    return conditional_escape(mark_safe(text) if safe else text)  # noqa: S308  # nosec B308 B703


def _attrs(attrs: dict[str, Any]) -> str:
    """``attrs.html``: False leaves an attribute out, True writes its bare name."""
    html = []
    for name, value in attrs.items():
        if value is True:
            html.append(f" {_shown(name)}")
        elif value is not False:
            html.append(f' {_shown(name)}="{_formatted(value)}"')
    return "".join(html)


def _input(widget: dict[str, Any]) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{_formatted(value)}"'
    return (
        f'<input type="{_shown(widget["type"])}" name="{_shown(widget["name"])}"'
        f"{shown}{_attrs(widget['attrs'])}>"
    )


def _textarea(widget: dict[str, Any]) -> str:
    value = widget["value"]
    text = _shown(value) if value else ""
    return f'<textarea name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>\n{text}</textarea>'


def _select(widget: dict[str, Any]) -> str:
    # The whitespace is the templates': each included option keeps its file's final newline.
    html = [f'<select name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            html.append(f'\n  <optgroup label="{_shown(group_name)}">')
        for option in options:
            if option["template_name"] != _OPTION_TEMPLATE:
                raise _Unusual
            html.append(
                f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_shown(option['label'])}</option>\n"
            )
        if group_name:
            html.append("\n  </optgroup>")
    html.append("\n</select>")
    return "".join(html)


# What each stock template writes, by the template's name.
_WRITERS: dict[str, Callable[[dict[str, Any]], str]] = {
    forms.TextInput.template_name: _input,
    forms.NumberInput.template_name: _input,
    forms.HiddenInput.template_name: _input,
    forms.Textarea.template_name: _textarea,
    forms.Select.template_name: _select,
}


class _WrittenInPython(forms.Widget):
    """Writes in Python what Django's own templates would write; renders anything else."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        write = _WRITERS.get(self.template_name)
        # Another renderer may load other templates (the default one reads Django's first).
        chosen = renderer if renderer is not None else get_default_renderer()
        if write is not None and type(chosen) is DjangoTemplates:
            try:
                html = write(self.get_context(name, value, attrs)["widget"])
                return mark_safe(html)  # noqa: S308  # nosec B308 B703  # every piece is escaped
            except _Unusual:
                pass
        return super().render(name, value, attrs, renderer)


class TextInput(_WrittenInPython, forms.TextInput):
    pass


class NumberInput(_WrittenInPython, forms.NumberInput):
    pass


class HiddenInput(_WrittenInPython, forms.HiddenInput):
    pass


class Textarea(_WrittenInPython, forms.Textarea):
    pass


class Select(_WrittenInPython, forms.Select):
    pass


# Named as Django's, so ``BoundField.widget_type`` and the like see no difference.
_FAST: dict[type[forms.Widget], type[forms.Widget]] = {
    forms.TextInput: TextInput,
    forms.NumberInput: NumberInput,
    forms.HiddenInput: HiddenInput,
    forms.Textarea: Textarea,
    forms.Select: Select,
}


def use_fast_widgets(fields: Iterable[forms.Field]) -> None:
    """Give each stock widget its fast twin's class; subclasses and other widgets stay.

    Swapping the class keeps all a field did to its widget (``maxlength``, ``is_required``,
    the choices): only ``render`` differs. Widgets are copied per form, so this touches one form.
    """
    for field in fields:
        fast = _FAST.get(type(field.widget))
        if fast is not None:
            field.widget.__class__ = fast
