"""Template filters so that everything a person reads has Persian digits and Jalali dates.

Registered as builtins (settings.TEMPLATES), so templates use them without ``{% load %}``.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django import template

from karnameh.common.jalali import format_jalali_date, format_jalali_datetime
from karnameh.common.text import persian_digits

register = template.Library()


@register.filter(name="fa")
def fa(value: Any) -> str:
    """Persian digits; numbers grouped by thousands with the Persian separator."""
    if isinstance(value, bool) or value is None:
        return persian_digits(value)
    if isinstance(value, int | float | Decimal):
        # Persian thousands separator «٬» and decimal separator «٫».
        text = f"{value:,}".replace(",", "٬").replace(".", "٫")
        return persian_digits(text)
    return persian_digits(value)


@register.filter(name="jdate")
def jdate(value: dt.date | dt.datetime | None, style: str = "") -> str:
    return format_jalali_date(value, long=style == "long")


@register.filter(name="jdatetime")
def jdatetime_filter(value: dt.datetime | None) -> str:
    return format_jalali_datetime(value)
