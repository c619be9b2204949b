"""Every rule seed 001 states, reproduced from the shipped 1397 catalogue with worked examples.

Each example is the figures an agency would enter and the points the seed's own words give.
"""

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from karnameh.scoring import (
    MISSING,
    NOT_APPLICABLE,
    SCORED,
    Env,
    Gauge,
    Indicator,
    Scorer,
    load_catalogue,
    score_gauge,
)
from karnameh.scoring.rules import JudgementRule

CATALOGUE = Path(__file__).resolve().parents[3] / "catalogues" / "provincial-1397-general.yaml"


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(CATALOGUE)


def _pair(catalogue, code: str) -> tuple[Indicator, Gauge]:
    found = catalogue.gauge(code)
    assert found is not None, code
    return found


def points(catalogue, code: str, answer: dict, others_total: str | None = None) -> Decimal:
    indicator, gauge = _pair(catalogue, code)
    env = Env(catalogue.max_score, Decimal(others_total) if others_total else None)
    result = score_gauge(indicator, gauge, answer, env)
    assert result.status == SCORED, result.explanation
    return result.score


def test_the_catalogue_is_the_seeds_shape(catalogue):
    # given the seed's summary table: 7 axes, their budgets, 32 indicators, 1000 points
    budgets = {"1": 125, "2": 300, "3": 175, "4": 60, "5": 90, "6": 150, "7": 100}
    # then
    assert {a.code: int(a.max_score) for a in catalogue.axes} == budgets
    assert len(catalogue.indicators()) == 32
    assert 95 <= len(catalogue.gauges()) <= 105
    assert catalogue.max_score == 1000
    assert catalogue.year == 1397 and catalogue.level == "provincial"


@pytest.mark.parametrize(
    ("code", "maximum", "target"),
    [
        ("1.1", 50, "*"),
        ("1.4", 30, Decimal(100)),
        ("2.4", 35, Decimal(100)),
        ("2.5", 50, "*"),
        ("3.1", 60, Decimal(100)),
        ("4.2", 30, Decimal(100)),
        ("6.5", 30, Decimal(100)),
        ("7.1", 80, Decimal(100)),
    ],
)
def test_indicator_maxima_and_targets_follow_the_summary_table(catalogue, code, maximum, target):
    indicator = next(i for i in catalogue.indicators() if i.code == code)
    assert indicator.max_score == maximum
    assert indicator.target == target


def test_assessing_bodies_are_those_the_footnotes_name(catalogue):
    bodies = {i.code: i.assessor for i in catalogue.indicators() if i.assessor}
    assert bodies == {
        "4.1": "ecommerce",
        "4.2": "finance",
        "5.1": "business",
        "5.3": "environment",
        "6.3": "prayer",
        "6.4": "governorate",
        "6.5": "welfare",
    }
    assert catalogue.gauge("5.2.1")[1].assessor == "finance"


@pytest.mark.parametrize(
    ("handled", "received", "expected"),
    [
        (59, 200, "0"),  # 29.5%: below 30 → nothing
        (60, 200, "3.5"),  # exactly 30% → half
        (119, 200, "3.5"),  # 59.5% → half
        (120, 200, "7"),  # exactly 60% → all
        (200, 200, "7"),
        (3, 10, "3.5"),  # 30% exactly, from a small count
        (1, 3, "3.5"),  # 33.33…%
        (0, 0, "7"),  # nothing received, nothing left unanswered
    ],
)
def test_complaints_answered_bands_6_4_1(catalogue, handled, received, expected):
    answer = {"fields": {"received": received, "handled": handled}}
    assert points(catalogue, "6.4.1", answer) == Decimal(expected)


def test_requests_answered_bands_6_4_2_likewise(catalogue):
    def score(handled: int) -> Decimal:
        return points(catalogue, "6.4.2", {"fields": {"received": 100, "handled": handled}})

    assert [score(29), score(30), score(59), score(60)] == [0, Decimal("1.5"), Decimal("1.5"), 3]


def _response(days: str, received: int, sample: int, report: bool) -> dict:
    return {
        "fields": {
            "mean_response_days": days,
            "received": received,
            "sample_size": sample,
            "sample_report": report,
        }
    }


@pytest.mark.parametrize(
    ("days", "received", "sample", "report", "expected"),
    [
        ("10", 40, 10, True, "10"),  # ≤ 10 days with a sample of 10 → all
        ("9.5", 40, 9, True, "5"),  # sample under 10 → not all
        ("10", 40, 10, False, "5"),  # no sample report attached → not all
        ("10.01", 40, 10, True, "5"),  # just over 10 days → half
        ("20", 40, 10, True, "5"),  # 20 days → half
        ("20.5", 40, 10, True, "0"),  # beyond 20 days → nothing
        ("8", 1000, 199, True, "5"),  # many complaints: 20% = 200 needed
        ("8", 1000, 200, True, "10"),
        ("8", 6, 6, True, "10"),  # fewer than 10 complaints: all of them suffice
    ],
)
def test_response_time_inverse_bands_with_the_sample_condition_6_4_3(
    catalogue, days, received, sample, report, expected
):
    answer = _response(days, received, sample, report)
    assert points(catalogue, "6.4.3", answer) == Decimal(expected)


@pytest.mark.parametrize(
    ("staff", "expected"), [(300, "10"), (299, "10"), (301, "0")], ids=["equal", "fewer", "more"]
)
def test_staff_within_approved_posts_all_or_nothing_3_1_4(catalogue, staff, expected):
    answer = {"fields": {"posts": 300, "staff_total": staff}}
    assert points(catalogue, "3.1.4", answer) == Decimal(expected)


@pytest.mark.parametrize(("diploma", "expected"), [(0, "10"), (1, "0"), (25, "0")])
def test_a_single_contract_employee_with_a_diploma_or_less_costs_all_3_1_6(
    catalogue, diploma, expected
):
    answer = {"fields": {"contract_staff": 40, "contract_staff_diploma": diploma}}
    assert points(catalogue, "3.1.6", answer) == Decimal(expected)


@pytest.mark.parametrize(("contract", "expected"), [(50, "10"), (51, "0"), (0, "10")])
def test_contract_staff_within_the_ten_percent_cap_3_1_3(catalogue, contract, expected):
    answer = {"fields": {"posts": 500, "contract_staff": contract}}
    assert points(catalogue, "3.1.3", answer) == Decimal(expected)


def test_year_over_year_reduction_against_the_mou_target_3_1_1(catalogue):
    # given 50 contract staff above the cap last year and 40 now: a 20% reduction
    fields = {
        "posts": 500,
        "contract_staff": 90,
        "excess_contract_staff": 40,
        "posts_previous": 500,
        "contract_staff_previous": 100,
        "excess_contract_staff_previous": 50,
    }
    # then against an agreed 40% reduction it is half done; against 20% it is done
    assert points(catalogue, "3.1.1", {"fields": fields, "target": 40}) == 5
    assert points(catalogue, "3.1.1", {"fields": fields, "target": 20}) == 10
    # and an increase earns nothing
    worse = {**fields, "excess_contract_staff": 60}
    assert points(catalogue, "3.1.1", {"fields": worse, "target": 20}) == 0


def test_year_over_year_reduction_of_permanent_staff_3_1_2(catalogue):
    fields = {"permanent_staff": 960, "permanent_staff_previous": 1000}  # 4% fewer
    assert points(catalogue, "3.1.2", {"fields": fields, "target": 2}) == 10
    assert points(catalogue, "3.1.2", {"fields": fields, "target": 8}) == 5


@pytest.mark.parametrize(("age", "expected"), [("44.5", "10"), ("45", "0"), ("46", "0")])
def test_managers_mean_age_falling_year_over_year_3_3_2(catalogue, age, expected):
    answer = {"fields": {"managers_mean_age": age, "managers_mean_age_previous": "45"}}
    assert points(catalogue, "3.3.2", answer) == Decimal(expected)


@pytest.mark.parametrize(("women", "expected"), [(11, "10"), (10, "0"), (9, "0")])
def test_share_of_women_managers_rising_year_over_year_3_3_3(catalogue, women, expected):
    fields = {
        "managers_total": 50,
        "women_managers": women,
        "managers_total_previous": 50,
        "women_managers_previous": 10,
    }
    assert points(catalogue, "3.3.3", {"fields": fields}) == Decimal(expected)


@pytest.mark.parametrize(
    ("choice", "expected"), [("complete", 10), ("partial", 5), ("not_done", 0)]
)
def test_complete_partial_not_done_3_4_1(catalogue, choice, expected):
    assert points(catalogue, "3.4.1", {"choice": choice}) == expected


def test_training_evaluation_has_two_parts_3_4_3(catalogue):
    answer = {"fields": {"levels_1_2": "complete", "levels_3_4": "partial"}}
    assert points(catalogue, "3.4.3", answer) == 15


@pytest.mark.parametrize(("choice", "expected"), [("yes", 7), ("no", 0)])
def test_yes_no_2_9_1(catalogue, choice, expected):
    assert points(catalogue, "2.9.1", {"choice": choice}) == expected


def test_the_contracts_example_mou_target_1_1_1(catalogue):
    indicator, gauge = catalogue.gauge("1.1.1")
    result = score_gauge(
        indicator, gauge, {"fields": {"actual": 80}, "target": 100}, Env(Decimal(1000))
    )
    assert result.score == 28
    assert "۸۰" in result.explanation and "۱۰۰" in result.explanation
    assert result.explanation.endswith("= ۲۸")


def test_structure_system_percentages_against_target_100_1_4(catalogue):
    assert points(catalogue, "1.4.5", {"fields": {"actual": 75}}) == 6
    assert points(catalogue, "1.4.5", {"fields": {"actual": 100}}) == 8


def test_delegated_tasks_table_mean_against_the_mou_1_2_1(catalogue):
    table = catalogue.gauge("1.2.1")[1].tables[0]
    column = next(c.code for c in table.columns if c.type == "percent")
    rows = [{column: 100}, {column: 50}]
    answer = {"tables": {table.code: rows}, "target": 100}
    assert points(catalogue, "1.2.1", answer) == Decimal("18.75")  # mean 75% of 25


def test_services_table_share_of_electronic_requests_2_1_1(catalogue):
    gauge = catalogue.gauge("2.1.1")[1]
    table = gauge.tables[0]
    column = gauge.fields[0].source.column
    rows = [{column: "yes"}, {column: "yes"}, {column: "no"}, {column: "not_applicable"}]
    answer = {"tables": {table.code: rows}, "target": 100}
    # two of the three applicable services → 66.67% of 20
    assert points(catalogue, "2.1.1", answer) == Decimal("13.33")


def test_judgement_gauges_take_the_evaluators_score(catalogue):
    assert points(catalogue, "2.10.1", {"score": "12.5"}) == Decimal("12.5")
    assert points(catalogue, "6.5.1", {"score": "7.5"}) == Decimal("7.5")


@pytest.mark.parametrize(
    ("own", "expected"), [("850", 10), ("900", 10), ("901", 5), ("950", 5), ("951", 0)]
)
def test_convergence_of_self_assessment_and_final_7_1_3(catalogue, own, expected):
    # given the other gauges' final total is 850 of 1000: gap = |own − 850| ÷ 1000 × 100
    assert points(catalogue, "7.1.3", {"self_total": own}, others_total="850") == expected


def _full_marks(catalogue) -> dict:
    """The answers of an agency that earns every point."""
    answers: dict = {}
    for indicator, gauge in catalogue.gauges():
        rule = gauge.rule
        answer: dict = {}
        if isinstance(rule, JudgementRule):
            answer["score"] = str(gauge.max_score)
        elif rule.kind == "choice":
            answer["choice"] = next(code for code, share in rule.options.items() if share == 1)
        elif rule.kind == "convergence":
            answer["self_total"] = "990"
        fields: dict[str, Any] = {}
        for field in gauge.fields:
            if field.type == "choice":
                fields[field.code] = "complete"
            elif field.type == "boolean":
                fields[field.code] = True
            elif field.type == "percent":
                fields[field.code] = 100
            else:
                fields[field.code] = 10
        if fields:
            answer["fields"] = fields
        if "*" in (gauge.target, indicator.target):
            answer["target"] = 100
        answers[gauge.code] = answer
    # Figures where "more" is not "better":
    answers["3.1.1"]["fields"]["excess_contract_staff"] = 0
    answers["3.1.2"]["fields"]["permanent_staff"] = 0
    answers["3.1.2"]["target"] = 100
    answers["3.1.3"]["fields"]["contract_staff"] = 1
    answers["3.1.6"]["fields"]["contract_staff_diploma"] = 0
    answers["3.3.2"]["fields"]["managers_mean_age"] = 9
    answers["3.3.3"]["fields"]["women_managers_previous"] = 1
    answers["6.4.3"]["fields"]["mean_response_days"] = 5
    return answers


def test_an_agency_that_does_everything_gets_1000(catalogue):
    result = Scorer(catalogue).score(_full_marks(catalogue))
    not_full = [(g.code, g.explanation) for g in result.gauges() if g.score != g.max]
    assert not_full == []
    assert result.total == 1000
    assert result.problems == []


def test_indicator_1_3_not_applicable_rescales_its_axis(catalogue):
    # given an agency without county units that earns every other point
    answers = _full_marks(catalogue)
    answers["1.3.1"] = {"not_applicable": True, "reason": "فاقد واحد شهرستانی"}
    answers["1.1.1"] = {"fields": {"actual": 50}, "target": 100}  # 17.5 of 35
    # when
    result = Scorer(catalogue).score(answers)
    # then axis 1 is earned 87.5 of the 105 applicable points, scaled to 125
    axis = result.axes[0]
    assert axis.indicators[2].status == NOT_APPLICABLE
    assert axis.earned == Decimal("87.5")
    assert axis.applicable_max == 105
    assert axis.score == Decimal("104.17")
    assert result.total == Decimal("979.17")


def test_indicator_1_3_may_be_not_applicable_but_2_1_may_not(catalogue):
    env = Env(Decimal(1000))
    allowed = score_gauge(*_pair(catalogue, "1.3.1"), {"not_applicable": True}, env)
    refused = score_gauge(*_pair(catalogue, "2.1.1"), {"not_applicable": True}, env)
    assert allowed.status == NOT_APPLICABLE
    assert refused.status == "invalid" and refused.score == 0
    assert "عدم مصداق" in refused.problem


def test_an_empty_answers_file_scores_zero_with_every_gauge_missing(catalogue):
    result = Scorer(catalogue).score({})
    assert result.total == 0
    assert {g.status for g in result.gauges()} == {MISSING}
    assert {a.status for a in result.axes} == {MISSING}
