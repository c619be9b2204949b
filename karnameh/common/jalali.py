"""Jalali dates for people, Gregorian UTC for the database."""

import datetime as dt
import re

import jdatetime
from django.utils import timezone
from django.utils.translation import gettext as _

from .text import ascii_digits, persian_digits

# Month names are Persian proper names, the same in every language the system may show.
MONTHS = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)
_DATE = re.compile(r"^\s*(\d{4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*$")


class JalaliDateError(ValueError):
    """The text is not a Jalali date; the message is Persian and names the text."""


def parse_jalali_date(text: str) -> dt.date:
    """``1403/02/10`` (Persian or ASCII digits, / - or . between) to a Gregorian date."""
    match = _DATE.match(ascii_digits(text or ""))
    if not match:
        raise JalaliDateError(
            _("“%(text)s” is not a Jalali date; enter it as 1403/02/10 (year/month/day).")
            % {"text": text}
        )
    year, month, day = (int(part) for part in match.groups())
    if not 1300 <= year <= 1500:
        # 2024/05/01 is a Gregorian date typed by mistake, not the Jalali year 2024.
        raise JalaliDateError(
            _("The year of “%(text)s” is not a Jalali year (1300 to 1500).") % {"text": text}
        )
    try:
        return jdatetime.date(year, month, day).togregorian()
    except ValueError:
        raise JalaliDateError(
            _("The date “%(text)s” does not exist in the Jalali calendar.") % {"text": text}
        ) from None


def format_jalali_date(value: dt.date | dt.datetime | None, *, long: bool = False) -> str:
    """A date as a person reads it: ``۱۴۰۳/۰۲/۱۰``, or ``۱۰ اردیبهشت ۱۴۰۳`` when long."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    jdate = jdatetime.date.fromgregorian(date=value)
    if long:
        return persian_digits(f"{jdate.day} {MONTHS[jdate.month - 1]} {jdate.year}")
    return persian_digits(f"{jdate.year:04d}/{jdate.month:02d}/{jdate.day:02d}")


def format_jalali_datetime(value: dt.datetime | None) -> str:
    """A moment in Tehran time: ``۱۴۰۳/۰۲/۱۰ ساعت ۱۴:۰۵``."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return _("%(date)s at %(time)s") % {
        "date": format_jalali_date(local.date()),
        "time": persian_digits(local.strftime("%H:%M")),
    }


def jalali_year(value: dt.date) -> int:
    return int(jdatetime.date.fromgregorian(date=value).year)
