"""What every form does to what people type."""

import datetime as dt

from django import forms

from karnameh.common.forms import Form, JalaliDateField


class _Example(Form):
    title = forms.CharField()
    count = forms.IntegerField()
    starts = JalaliDateField()
    secret = forms.CharField(widget=forms.PasswordInput)


def test_a_form_normalises_letters_and_digits_but_not_passwords():
    # when
    form = _Example(
        {"title": "ادارهٔ كل", "count": "۱۲", "starts": "۱۴۰۳/۰۱/۰۱", "secret": "كلمه ۱"}
    )
    # then
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {
        "title": "ادارهٔ کل",
        "count": 12,
        "starts": dt.date(2024, 3, 20),
        "secret": "كلمه ۱",
    }


def test_a_wrong_date_is_refused_with_its_field_and_the_input():
    # when
    form = _Example({"title": "x", "count": "1", "starts": "1403/13/40", "secret": "s"})
    # then
    assert not form.is_valid()
    assert list(form.errors) == ["starts"]
    assert "«1403/13/40»" in form.errors["starts"][0]


def test_a_jalali_date_field_shows_its_value_in_jalali():
    # when
    html = str(_Example(initial={"starts": dt.date(2024, 3, 20)})["starts"])
    # then
    assert 'value="۱۴۰۳/۰۱/۰۱"' in html
    assert 'class="form-control"' in html
