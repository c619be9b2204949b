"""Statuses of gauges, indicators and axes, totals, and where not-applicable points go."""

import gc
from decimal import Decimal

import pytest

from karnameh.scoring import (
    INVALID,
    MISSING,
    NOT_APPLICABLE,
    SCORED,
    Scorer,
    collector_paused,
    result_to_data,
    score_catalogue,
)

from .builders import axis, gauge, indicator, load

NA = {"not_applicable": True}


def two_axes(not_applicable: str = "axis"):
    """Axis 1 (30): 1.1 = 1.1.1 (10) + 1.1.2 (10, may be N/A); 1.2 (may be N/A) = 1.2.1 (10).
    Axis 2 (20): 2.1 (may be N/A) = 2.1.1 (20). Catalogue max 50."""
    return load(
        axis(
            "1",
            indicator("1.1", gauge("1.1.1", 10), gauge("1.1.2", 10, allow_not_applicable=True)),
            indicator("1.2", gauge("1.2.1", 10), allow_not_applicable=True),
        ),
        axis("2", indicator("2.1", gauge("2.1.1", 20), allow_not_applicable=True)),
        not_applicable=not_applicable,
    )


def score(answers, not_applicable: str = "axis"):
    return Scorer(two_axes(not_applicable)).score(answers)


# --- Gauge statuses


def test_nothing_answered_is_missing_everywhere_with_zero_points():
    # when
    result = score({})

    # then
    assert result.total == 0
    assert result.max == Decimal(50)
    assert {g.status for g in result.gauges()} == {MISSING}
    assert {i.status for i in result.indicators()} == {MISSING}
    assert [a.status for a in result.axes] == [MISSING, MISSING]
    assert result.problems == []
    assert result.gauge("1.1.1").explanation == "بی‌پاسخ → ۰ از ۱۰"


def test_a_gauge_may_be_not_applicable_when_the_gauge_allows_it():
    # when
    result = score({"1.1.2": {"not_applicable": True, "reason": "واحد ستادی ندارد"}})

    # then
    found = result.gauge("1.1.2")
    assert found.status == NOT_APPLICABLE
    assert found.score == 0
    assert "واحد ستادی ندارد" in found.explanation
    assert result.problems == []


def test_a_gauge_may_be_not_applicable_when_its_indicator_allows_it():
    # when
    result = score({"1.2.1": {"not_applicable": True, "reason": "ماده ۱۰ شامل نمی‌شود"}})

    # then
    assert result.gauge("1.2.1").status == NOT_APPLICABLE
    assert "ماده ۱۰ شامل نمی‌شود" in result.gauge("1.2.1").explanation


def test_not_applicable_where_not_allowed_is_invalid_and_a_problem():
    # when
    result = score({"1.1.1": NA, "1.2.1": {"score": 4}})

    # then
    found = result.gauge("1.1.1")
    assert found.status == INVALID
    assert found.score == 0
    assert result.problems == [("1.1.1", "این نماگر «عدم مصداق» نمی‌پذیرد")]
    assert result.gauge("1.2.1").score == Decimal(4)


@pytest.mark.parametrize("flag", ["yes", 1, "true"])
def test_not_applicable_must_be_true_or_false(flag):
    # when
    result = score({"1.1.2": {"not_applicable": flag, "score": 5}})

    # then
    assert result.gauge("1.1.2").status == INVALID
    assert result.gauge("1.1.2").score == 0


def test_not_applicable_false_is_an_ordinary_answer():
    # when
    result = score({"1.1.2": {"not_applicable": False, "score": 5}})

    # then
    assert result.gauge("1.1.2").status == SCORED
    assert result.gauge("1.1.2").score == Decimal(5)


def test_an_answer_that_is_not_an_object_is_invalid():
    # when: the engine may be called without the answers file's checks
    result = score({"1.1.1": [5]})

    # then
    assert result.gauge("1.1.1").status == INVALID
    assert result.problems[0][0] == "1.1.1"


# --- Indicator and axis statuses


@pytest.mark.parametrize(
    ("answers", "status"),
    [
        ({}, MISSING),
        # 1.1.1 missing and 1.1.2 N/A: neither all N/A nor all missing, so scored (contract)
        ({"1.1.2": NA}, SCORED),
        ({"1.1.1": {"score": 3}}, SCORED),
        ({"1.1.1": {"score": 0}, "1.1.2": NA}, SCORED),
        ({"1.1.1": NA}, SCORED),  # invalid + missing: the contract says scored
        ({"1.1.1": {"score": 0}, "1.1.2": {"score": 0}}, SCORED),
    ],
)
def test_indicator_status_follows_the_contract(answers, status):
    # when
    result = score(answers)

    # then
    found = next(i for i in result.indicators() if i.code == "1.1")
    assert found.status == status


def test_an_indicator_with_every_gauge_not_applicable_is_not_applicable():
    # given
    cat = load(
        axis(
            "1",
            indicator("1.1", gauge("1.1.1", 5), gauge("1.1.2", 5), allow_not_applicable=True),
            indicator("1.2", gauge("1.2.1", 10)),
        )
    )

    # when
    result = score_catalogue(cat, {"1.1.1": NA, "1.1.2": NA, "1.2.1": {"score": 6}})

    # then
    assert result.indicators()[0].status == NOT_APPLICABLE
    assert result.indicators()[0].score == 0
    assert result.axes[0].status == SCORED


def test_indicator_score_is_the_sum_of_its_gauges():
    # when
    result = score({"1.1.1": {"score": Decimal("7.25")}, "1.1.2": {"score": Decimal("2.5")}})

    # then
    assert result.indicators()[0].score == Decimal("9.75")
    assert result.axes[0].score == Decimal("9.75")
    assert result.total == Decimal("9.75")


# --- Not applicable: axis


def test_an_axis_rescales_over_its_applicable_maximum():
    # given: 8 + 5 earned of 20 applicable (1.1.2 N/A) in an axis of 30
    answers = {"1.1.1": {"score": 8}, "1.1.2": NA, "1.2.1": {"score": 5}, "2.1.1": {"score": 10}}

    # when
    result = score(answers)

    # then
    first, second = result.axes
    assert first.earned == Decimal(13)
    assert first.applicable_max == Decimal(20)
    assert first.score == Decimal("19.50")
    assert "۱۹٫۵" in first.explanation
    assert second.score == Decimal(10)
    assert result.total == Decimal("29.50")


def test_a_rescaled_axis_is_rounded_half_up_to_two_decimals():
    # given: 1 earned of 7 applicable in an axis of 10 → 1.428571…
    cat = load(
        axis(
            "1",
            indicator(
                "1.1",
                gauge("1.1.1", 3),
                gauge("1.1.2", 3),
                gauge("1.1.3", 4),
                allow_not_applicable=True,
            ),
        )
    )

    # when
    result = score_catalogue(cat, {"1.1.1": NA, "1.1.2": {"score": 1}, "1.1.3": {"score": 0}})

    # then
    assert result.axes[0].score == Decimal("1.43")
    assert result.total == Decimal("1.43")


def test_an_axis_with_nothing_applicable_is_set_aside_and_the_total_rescales():
    # given: axis 2 is wholly not applicable; axis 1 earns 15 of its 30
    answers = {"1.1.1": {"score": 10}, "1.1.2": {"score": 5}, "1.2.1": {"score": 0}, "2.1.1": NA}

    # when
    result = score(answers)

    # then
    assert result.axes[1].status == NOT_APPLICABLE
    assert result.axes[1].score == 0
    assert result.axes[0].score == Decimal(15)
    assert result.applicable_max == Decimal(30)
    assert result.total == Decimal("25.00")  # 15 × 50 / 30


def test_with_everything_applicable_nothing_is_rescaled():
    # when
    result = score({"1.1.1": {"score": 10}, "1.1.2": {"score": 10}, "2.1.1": {"score": 7}})

    # then
    assert [a.score for a in result.axes] == [Decimal(20), Decimal(7)]
    assert result.total == Decimal(27)
    assert result.explanation == ""


def test_with_nothing_applicable_at_all_the_total_is_zero():
    # given
    cat = load(axis("1", indicator("1.1", gauge("1.1.1", 10), allow_not_applicable=True)))

    # when
    result = score_catalogue(cat, {"1.1.1": NA})

    # then
    assert result.total == 0
    assert result.axes[0].status == NOT_APPLICABLE
    assert result.explanation != ""


# --- Not applicable: total


def test_with_total_only_the_total_rescales():
    # given: the same answers as the axis example
    answers = {"1.1.1": {"score": 8}, "1.1.2": NA, "1.2.1": {"score": 5}, "2.1.1": {"score": 10}}

    # when
    result = score(answers, not_applicable="total")

    # then: axes keep their earned points; the total is 23 × 50 / 40
    assert [a.score for a in result.axes] == [Decimal(13), Decimal(10)]
    assert result.applicable_max == Decimal(40)
    assert result.total == Decimal("28.75")


def test_with_total_a_wholly_not_applicable_axis_also_rescales_the_total():
    # given
    answers = {"1.1.1": {"score": 10}, "1.1.2": {"score": 5}, "1.2.1": {"score": 0}, "2.1.1": NA}

    # when
    result = score(answers, not_applicable="total")

    # then
    assert result.axes[1].status == NOT_APPLICABLE
    assert result.total == Decimal("25.00")


# --- Problems


def test_problems_list_every_invalid_gauge_once_in_catalogue_order():
    # given: answered in reverse order
    answers = {
        "2.1.1": {"score": 21},
        "1.2.1": {"score": "ده"},
        "1.1.2": {"score": 4},
        "1.1.1": NA,
    }

    # when
    result = score(answers)
    data = result_to_data(result)

    # then
    assert [code for code, _message in result.problems] == ["1.1.1", "1.2.1", "2.1.1"]
    assert [p["gauge"] for p in data["problems"]] == ["1.1.1", "1.2.1", "2.1.1"]
    assert "«ده»" in data["problems"][1]["message"]
    assert "بیرون از ۰ تا ۲۰" in data["problems"][2]["message"]
    assert result.total == Decimal(4)


def test_an_invalid_gauge_explains_why_it_got_nothing():
    # when
    result = score({"2.1.1": {"score": 21}})

    # then
    found = result.gauge("2.1.1")
    assert found.explanation.startswith("نامعتبر: ")
    assert found.explanation.endswith("→ ۰ از ۲۰")


def test_the_scorer_can_be_reused_for_many_agencies():
    # given
    scorer = Scorer(two_axes())

    # when
    first = scorer.score({"1.1.1": {"score": 10}})
    second = scorer.score({"1.1.1": {"score": 2}})
    third = scorer.score({"1.1.1": {"score": 10}})

    # then
    assert (first.total, second.total, third.total) == (Decimal(10), Decimal(2), Decimal(10))


def test_scoring_does_not_change_the_answers():
    # given
    answers = {"1.1.1": {"score": 8, "fields": {}}, "1.1.2": dict(NA), "2.1.1": {"score": 99}}
    before = repr(answers)

    # when
    score(answers)

    # then
    assert repr(answers) == before


def test_the_cycle_collector_runs_again_after_a_paused_block_even_one_that_failed() -> None:
    assert gc.isenabled()
    with pytest.raises(ValueError), collector_paused():
        assert not gc.isenabled()
        raise ValueError("a scoring error")
    assert gc.isenabled()
    # A caller that had paused it itself keeps it paused.
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
