"""Numbers as the portal writes them: Persian digits, no trailing zeros («۸۰», «۷۸٫۴»)."""

from decimal import Decimal
from typing import Any

from django import template

from karnameh.common.templatetags.fa import fa

register = template.Library()


@register.filter(name="num")
def num(value: Any) -> str:
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return fa(number.quantize(Decimal(1)))
    return fa(number.normalize())
