"""The answer as people read it, whatever JSON type the stored value has."""

from decimal import Decimal

from karnameh.assessments.forms import _value_text


def test_a_stored_json_number_is_shown_in_persian_digits_not_crashed_on():
    # given: values as a JSON client may have stored them, and as the pages store them
    # when / then
    assert _value_text(3.5) == _value_text(Decimal("3.5")) == "۳٫۵"
    assert _value_text(12.0) == _value_text(Decimal("12")) == "۱۲"
