"""Filters for catalogue pages: scores as people write them (۳۵, not ۳۵٫۰۰)."""

import re
from decimal import Decimal
from typing import Any

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from karnameh.common.templatetags.fa import fa

register = template.Library()


@register.filter
def score(value: Any) -> str:
    """A number without trailing zeros, in Persian digits (``|fa``); anything else as text."""
    if isinstance(value, Decimal) and value.is_finite():
        if value == value.to_integral_value():
            value = value.quantize(Decimal(1))
        else:
            value = value.normalize()
    return fa(value)


# A run of expression: names, numbers (Latin or Persian digits), operators and spaces, with at
# least one Latin letter in it. In right-to-left text such a run is reordered by the bidi
# algorithm («value >= ۶۰» would read «۶۰ =< value»), so it is isolated left to right.
_RUN = re.compile(
    r"[A-Za-z_][\w.]*(?:[ \t]*(?:[A-Za-z_][\w.]*|[0-9۰-۹]+(?:[.٫][0-9۰-۹]+)?|[-+*/<>=!%(),|]+))*"
)


def _split(run: str) -> tuple[str, str]:
    """The expression and what trails it: a Persian parenthesis opened or closed after it."""
    tail = ""
    while run and (
        run[-1] == " "
        or (run[-1] == "(" and run.count("(") > run.count(")"))
        or (run[-1] == ")" and run.count(")") > run.count("("))
    ):
        tail = run[-1] + tail
        run = run[:-1]
    return run, tail


@register.filter(needs_autoescape=True)
def formula(value: Any, autoescape: bool = True) -> str:
    """Engine text (rules, explanations) in Persian digits, each expression kept left to right."""
    text = fa(value)
    escape = conditional_escape if autoescape else str
    pieces, last = [], 0
    for match in _RUN.finditer(text):
        run, tail = _split(match.group(0))
        pieces += [escape(text[last : match.start()]), f'<bdi dir="ltr">{escape(run)}</bdi>']
        pieces.append(escape(tail))
        last = match.end()
    pieces.append(escape(text[last:]))
    return mark_safe("".join(str(p) for p in pieces))  # noqa: S308  # nosec B308 B703  # every piece is escaped
