"""Persian letters and digits, and Jalali dates, as people read and type them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

from karnameh.common.jalali import (
    JalaliDateError,
    format_jalali_date,
    format_jalali_datetime,
    parse_jalali_date,
)
from karnameh.common.templatetags.fa import fa
from karnameh.common.text import ascii_digits, normalize_fa, normalize_input, persian_digits


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("كيفيت", "کیفیت"),  # Arabic kaf and yeh
        ("موسى", "موسی"),  # alef maksura
        ("مى\u200cخواهم", "می\u200cخواهم"),  # the zero-width non-joiner is kept
        ("\u202eexe.pdf", "exe.pdf"),  # a right-to-left override cannot disguise text
        ("  اداره   کل  ", "اداره کل"),
    ],
)
def test_letters_are_normalised_to_persian(typed, stored):
    assert normalize_fa(typed) == stored


def test_digits_go_both_ways():
    # then
    assert ascii_digits("۱۴۰۳/۰۲/۱۰ و ١٢٣٫٥") == "1403/02/10 و 123.5"
    assert persian_digits(1403) == "۱۴۰۳"
    assert persian_digits(None) == ""
    assert normalize_input("كد ۱۲") == "کد 12"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (1234567, "۱٬۲۳۴٬۵۶۷"),
        (Decimal("812.50"), "۸۱۲٫۵۰"),
        (7.5, "۷٫۵"),
        ("AR-ED-01", "AR-ED-۰۱"),
    ],
)
def test_the_fa_filter_shows_persian_digits_and_separators(value, shown):
    assert fa(value) == shown


@pytest.mark.parametrize("typed", ["1403/02/10", "۱۴۰۳/۰۲/۱۰", "1403-2-10", " ۱۴۰۳.۲.۱۰ "])
def test_jalali_dates_are_accepted_as_people_type_them(typed):
    assert parse_jalali_date(typed) == dt.date(2024, 4, 29)


def test_the_last_day_of_a_leap_year_exists():
    assert parse_jalali_date("1403/12/30") == dt.date(2025, 3, 20)


@pytest.mark.parametrize(
    "typed",
    ["1403/13/01", "1402/12/30", "1403/07/31", "abc", "2024/05/01", "1403/02", ""],
)
def test_wrong_dates_are_refused_with_a_message_that_quotes_them(typed):
    # when
    with pytest.raises(JalaliDateError) as refused:
        parse_jalali_date(typed)
    # then
    assert f"«{typed}»" in str(refused.value)


def test_dates_are_shown_in_jalali_with_persian_digits():
    # then
    assert format_jalali_date(dt.date(2024, 4, 29)) == "۱۴۰۳/۰۲/۱۰"
    assert format_jalali_date(dt.date(2024, 4, 29), long=True) == "۱۰ اردیبهشت ۱۴۰۳"
    assert format_jalali_date(None) == ""


def test_moments_are_shown_in_tehran_time():
    # given: 21:00 UTC on the last day of 1402 is already Nowruz 1403 in Tehran (+03:30)
    moment = dt.datetime(2024, 3, 19, 21, 0, tzinfo=dt.UTC)
    # then
    assert format_jalali_datetime(moment) == "۱۴۰۳/۰۱/۰۱ ساعت ۰۰:۳۰"
    assert format_jalali_date(moment) == "۱۴۰۳/۰۱/۰۱"


def test_times_are_stored_in_utc_and_shown_in_tehran():
    # then
    assert settings.USE_TZ is True
    assert settings.TIME_ZONE == "Asia/Tehran"
    assert timezone.now().tzinfo == dt.UTC
