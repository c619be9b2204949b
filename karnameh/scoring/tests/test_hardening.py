"""Inputs that are easy to get wrong: commas, negative targets, repeated keys, YAML tricks."""

import pytest

from karnameh.scoring import AnswersError, CatalogueError, parse_answers, parse_catalogue
from karnameh.scoring.numbers import to_decimal

from .builders import field, one_gauge, score_one


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,200", "1200"),
        ("12,345,678.5", "12345678.5"),
        ("۱٬۲۰۰", "1200"),  # Persian thousands separator
        ("۱۲٫۵", "12.5"),  # Persian decimal separator
        ("12,5", None),  # a decimal comma: not 125
        ("1,20", None),
        ("12,5,0", None),
    ],
)
def test_a_comma_is_only_ever_a_thousands_separator(text, expected):
    number = to_decimal(text)
    assert (None if number is None else str(number)) == expected


def test_a_decimal_comma_makes_the_gauge_invalid_rather_than_ten_times_bigger():
    # given
    cat = one_gauge({"kind": "target"}, fields=[field("actual")], target=100)
    # when
    result = score_one(cat, {"fields": {"actual": "12,5"}})
    # then
    assert result.status == "invalid" and result.score == 0
    assert "(actual) باید عدد باشد" in result.problem


def test_an_agreed_target_below_zero_is_refused():
    cat = one_gauge({"kind": "target"}, fields=[field("actual")], target="*")
    result = score_one(cat, {"fields": {"actual": 5}, "target": -10})
    assert result.status == "invalid"
    assert "منفی" in result.problem


def test_an_agreed_target_of_zero_gives_full_marks_as_the_contract_says():
    cat = one_gauge({"kind": "target"}, fields=[field("actual")], target="*")
    assert score_one(cat, {"fields": {"actual": 5}, "target": 0}).score == 10


def test_figures_beside_a_judgement_are_not_required_for_the_score():
    # given a judgement gauge that also asks for figures (to inform the evaluator)
    cat = one_gauge({"kind": "judgement"}, fields=[field("cases", "integer")])
    # then the evaluator's score alone is enough
    assert score_one(cat, {"score": 7}).score == 7
    # but figures given wrong are still refused
    wrong = score_one(cat, {"score": 7, "fields": {"cases": "x"}})
    assert wrong.status == "invalid"


def test_zero_divided_by_zero_is_called_a_division_by_zero():
    cat = one_gauge({"kind": "formula", "share": "a / b"}, fields=[field("a"), field("b")])
    result = score_one(cat, {"fields": {"a": 0, "b": 0}})
    assert result.status == "invalid"
    assert "تقسیم بر صفر" in result.problem


def test_a_gauge_answered_twice_in_one_file_is_refused():
    cat = one_gauge({"kind": "judgement"})
    text = '{"gauges": {"1.1.1": {"score": 2}, "1.1.1": {"score": 9}}}'
    with pytest.raises(AnswersError) as error:
        parse_answers(text, cat, name="answers.json")
    assert "دو بار" in str(error.value)


YAML_WITH_ALIASES = """
format: karnameh-catalogue/1
code: aliases
title: t
year: 1397
level: provincial
kind: general
base: &gauge {code: "1.1.1", title: g, max_score: 10, rule: {kind: judgement}}
axes: [{code: "1", title: a, max_score: 10, indicators: [
  {code: "1.1", title: i, max_score: 10, gauges: [*gauge]}]}]
"""


def test_yaml_anchors_and_aliases_are_refused_before_anything_is_built():
    with pytest.raises(CatalogueError) as error:
        parse_catalogue(YAML_WITH_ALIASES, name="aliases.yaml")
    message = str(error.value)
    assert message.startswith("aliases.yaml، سطر ۸")
    assert "ارجاع" in message
