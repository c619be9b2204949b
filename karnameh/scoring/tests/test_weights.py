"""Weights per agency type, and the composition of general and specific parts."""

from decimal import Decimal

import pytest

from karnameh.scoring import Scorer
from karnameh.scoring.weights import (
    Part,
    WeightError,
    check_composition,
    check_weights,
    compose,
    weighted_total,
)

from .builders import axis, gauge, indicator, load

# Axis 1 (100): 1.1 (50) strong, 1.2 (50, may be N/A) weak.
CATALOGUE = load(
    axis(
        "1",
        indicator("1.1", gauge("1.1.1", 50)),
        indicator("1.2", gauge("1.2.1", 50), allow_not_applicable=True),
    )
)
ANSWERS = {"1.1.1": {"score": 40}, "1.2.1": {"score": 10}}


def weighted(weights, answers=None):
    result = Scorer(CATALOGUE).score(ANSWERS if answers is None else answers)
    return weighted_total(result, check_weights(CATALOGUE, weights))


def test_every_weight_one_and_nothing_not_applicable_gives_the_plain_sum():
    # when
    found = weighted({})

    # then
    assert found.total == Decimal("50.00")
    assert found.total == Scorer(CATALOGUE).score(ANSWERS).total
    assert found.max == Decimal(100)


def test_unnamed_indicators_weigh_one():
    assert check_weights(CATALOGUE, {"1.1": 2}) == {"1.1": Decimal(2), "1.2": Decimal(1)}


def test_a_heavier_weight_on_a_stronger_indicator_raises_the_total():
    # when: (3 × 40 + 10) / (3 × 50 + 50) × 100
    found = weighted({"1.1": 3})

    # then
    assert found.total == Decimal("65.00")
    assert "۶۵" in found.explanation


def test_a_heavier_weight_on_a_weaker_indicator_lowers_the_total():
    assert weighted({"1.2": 3}).total == Decimal("35.00")


def test_weight_zero_removes_an_indicator():
    assert weighted({"1.2": 0}).total == Decimal("80.00")


def test_weights_may_be_written_as_persian_digits():
    assert weighted({"1.1": "۳"}).total == Decimal("65.00")


@pytest.mark.parametrize(
    ("weights", "fragment"),
    [
        ({"9.9": 1}, "شاخص «9.9» در شاخص‌نامهٔ «test-1397» نیست"),
        ({"1.1.1": 1}, "شاخص «1.1.1»"),
        ({"1.1": -1}, "وزن شاخص «1.1» باید عددی نامنفی باشد"),
        ({"1.2": "سنگین"}, "وزن شاخص «1.2» باید عددی نامنفی باشد"),
        ({"1.2": True}, "وزن شاخص «1.2» باید عددی نامنفی باشد"),
    ],
)
def test_unknown_indicators_and_bad_weights_are_refused_naming_them(weights, fragment):
    # given
    before = dict(weights)

    # when
    with pytest.raises(WeightError) as error:
        check_weights(CATALOGUE, weights)

    # then
    assert fragment in error.value.message
    assert weights == before


def test_not_applicable_indicators_are_left_out_whatever_their_weight():
    # given
    answers = {"1.1.1": {"score": 40}, "1.2.1": {"not_applicable": True}}

    # when
    light = weighted({}, answers)
    heavy = weighted({"1.2": 10}, answers)

    # then
    assert light.total == heavy.total == Decimal("80.00")


def test_nothing_applicable_with_positive_weight_gives_zero():
    # when
    found = weighted({"1.1": 0}, {"1.1.1": {"score": 40}, "1.2.1": {"not_applicable": True}})

    # then
    assert found.total == 0
    assert found.explanation != ""


# --- Composition


def test_sixty_forty_of_general_and_specific():
    # given
    composition = check_composition({"general": 60, "specific": 40})

    # when
    composed = compose(
        composition,
        {
            "general": Part(Decimal("812.5"), Decimal(1000)),
            "specific": Part(Decimal(70), Decimal(100)),
        },
    )

    # then: 60 × 81.25% + 40 × 70% = 76.75
    assert composed.final == Decimal("76.75")
    assert composed.percents == {"general": Decimal("81.25"), "specific": Decimal("70.00")}
    assert "۷۶٫۷۵" in composed.explanation


def test_a_missing_part_reproportions_the_weights_and_says_so():
    # given
    composition = check_composition({"general": 60, "specific": 40})

    # when
    composed = compose(composition, {"general": Part(Decimal("812.5"), Decimal(1000))})

    # then
    assert composed.final == Decimal("81.25")
    assert composed.weights == {"general": Decimal(60)}
    assert "اختصاصی" in composed.explanation
    assert "به نسبت" in composed.explanation


def test_a_part_with_no_maximum_counts_as_missing():
    # given
    composition = check_composition({"general": 60, "specific": 40})

    # when
    composed = compose(
        composition,
        {"general": Part(Decimal(500), Decimal(1000)), "specific": Part(Decimal(0), Decimal(0))},
    )

    # then
    assert composed.final == Decimal("50.00")


@pytest.mark.parametrize(
    ("composition", "fragment"),
    [
        ({"general": 60, "specific": 30}, "جمع وزن بخش‌ها باید ۱۰۰ باشد، نه ۹۰"),
        ({"general": 70, "specific": 40}, "نه ۱۱۰"),
        ({"general": 110, "specific": -10}, "وزن بخش «اختصاصی» باید عددی نامنفی باشد"),
        ({"general": "شصت", "specific": 40}, "وزن بخش «عمومی» باید عددی نامنفی باشد"),
        ({}, "دست‌کم یک بخش"),
    ],
)
def test_a_composition_must_sum_to_100(composition, fragment):
    # given
    before = dict(composition)

    # when
    with pytest.raises(WeightError) as error:
        check_composition(composition)

    # then
    assert fragment in error.value.message
    assert composition == before
