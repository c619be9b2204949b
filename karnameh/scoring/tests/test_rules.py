"""Every rule kind of the contract, at and around its boundaries, through a one-gauge catalogue."""

from decimal import Decimal

import pytest

from karnameh.scoring import (
    INVALID,
    SCORED,
    CatalogueError,
    Scorer,
    catalogue_from_data,
    parse_catalogue,
)

from .builders import axis, field, gauge, indicator, load, one_gauge, one_gauge_data, score_one

ACTUAL = [field("actual")]

# --- target


@pytest.mark.parametrize(
    ("actual", "points"),
    [
        (0, "0.00"),
        (50, "17.50"),
        (80, "28.00"),
        ("99.9", "34.97"),
        (100, "35.00"),
        (120, "35.00"),
        (-5, "0.00"),
    ],
)
def test_target_higher_is_actual_over_target_capped_at_the_max(actual, points):
    # given
    cat = one_gauge({"kind": "target"}, max_score=35, fields=ACTUAL, target=100)

    # when
    result = score_one(cat, {"fields": {"actual": actual}})

    # then
    assert result.status == SCORED
    assert result.score == Decimal(points)


@pytest.mark.parametrize("actual", [0, 5, -3])
def test_target_zero_gives_full_points(actual):
    # given
    cat = one_gauge({"kind": "target"}, max_score=10, fields=ACTUAL, target=0)

    # when
    result = score_one(cat, {"fields": {"actual": actual}})

    # then
    assert result.score == Decimal(10)


def test_an_agreed_target_is_read_from_the_answer():
    # given
    cat = one_gauge({"kind": "target"}, max_score=35, fields=ACTUAL, target="*")

    # when
    result = score_one(cat, {"fields": {"actual": 60}, "target": 80})

    # then
    assert result.status == SCORED
    assert result.score == Decimal("26.25")
    assert "تفاهم‌نامه ۸۰" in result.explanation


def test_an_agreed_target_may_be_written_in_persian_digits():
    # given
    cat = one_gauge({"kind": "target"}, max_score=10, fields=ACTUAL, target="*")

    # when
    result = score_one(cat, {"fields": {"actual": 30}, "target": "۴۰"})

    # then
    assert result.score == Decimal("7.50")


@pytest.mark.parametrize(
    "answer", [{"fields": {"actual": 60}}, {"fields": {"actual": 60}, "target": "x"}]
)
def test_an_agreed_target_not_given_makes_the_gauge_invalid(answer):
    # given
    cat = one_gauge({"kind": "target"}, max_score=35, fields=ACTUAL, target="*")

    # when
    result = score_one(cat, answer)

    # then
    assert result.status == INVALID
    assert result.score == 0
    assert "تفاهم‌نامه" in result.problem


def test_a_fixed_target_ignores_a_target_in_the_answer():
    # given
    cat = one_gauge({"kind": "target"}, max_score=10, fields=ACTUAL, target=100)

    # when
    result = score_one(cat, {"fields": {"actual": 50}, "target": 50})

    # then
    assert result.score == Decimal("5.00")


def test_the_gauge_target_overrides_the_indicator_target():
    # given
    data = one_gauge_data({"kind": "target"}, max_score=10, fields=ACTUAL, target=100)
    data["axes"][0]["indicators"][0]["gauges"][0]["target"] = 50
    cat = catalogue_from_data(data)

    # when
    result = score_one(cat, {"fields": {"actual": 40}})

    # then
    assert result.score == Decimal("8.00")


def test_an_agreed_gauge_target_overrides_a_numeric_indicator_target():
    # given
    data = one_gauge_data({"kind": "target"}, max_score=10, fields=ACTUAL, target=100)
    data["axes"][0]["indicators"][0]["gauges"][0]["target"] = "*"
    cat = catalogue_from_data(data)

    # when
    without = score_one(cat, {"fields": {"actual": 40}})
    agreed = score_one(cat, {"fields": {"actual": 40}, "target": 40})

    # then
    assert without.status == INVALID
    assert agreed.score == Decimal("10.00")


def test_a_target_rule_without_any_target_is_refused_at_load():
    # given
    data = one_gauge_data({"kind": "target"}, fields=ACTUAL, target=None)

    # when
    with pytest.raises(CatalogueError) as error:
        catalogue_from_data(data)

    # then
    assert "نماگر ۱.۱.۱" in str(error.value)
    assert "هدف" in str(error.value)


def test_the_actual_value_may_be_an_expression_over_fields():
    # given
    cat = one_gauge(
        {"kind": "target", "actual": "done / planned * 100"},
        max_score=20,
        fields=[field("done", "integer"), field("planned", "integer")],
        target=80,
    )

    # when
    result = score_one(cat, {"fields": {"done": 30, "planned": 50}})

    # then: 60% of a target of 80% is 3/4 of the points
    assert result.score == Decimal("15.00")
    assert "done=۳۰" in result.explanation
    assert "planned=۵۰" in result.explanation


@pytest.mark.parametrize(
    ("actual", "points"),
    [(5, "10.00"), (10, "10.00"), ("10.01", "9.99"), (20, "5.00"), (30, "3.33"), (0, "10.00")],
)
def test_target_lower_is_full_at_or_below_target_else_target_over_actual(actual, points):
    # given: e.g. days to answer a complaint, 10 at most
    cat = one_gauge(
        {"kind": "target", "direction": "lower"}, max_score=10, fields=ACTUAL, target=10
    )

    # when
    result = score_one(cat, {"fields": {"actual": actual}})

    # then
    assert result.status == SCORED
    assert result.score == Decimal(points)


def test_an_unknown_direction_is_refused_at_load():
    with pytest.raises(CatalogueError) as error:
        one_gauge({"kind": "target", "direction": "up"}, fields=ACTUAL, target=10)
    assert "«up»" in str(error.value)


# --- cases (seed gauge 6.4.1)

COMPLAINTS = {
    "kind": "cases",
    "value": "handled / received * 100 if received > 0 else 100",
    "cases": [
        {"when": "value >= 60", "share": 1, "label": "۶۰ درصد یا بیشتر"},
        {"when": "value >= 30", "share": Decimal("0.5"), "label": "از ۳۰ تا کمتر از ۶۰ درصد"},
        {"share": 0, "label": "کمتر از ۳۰ درصد"},
    ],
}
COMPLAINT_FIELDS = [field("received", "integer"), field("handled", "integer")]


@pytest.mark.parametrize(
    ("received", "handled", "points", "band"),
    [
        (200, 59, "0.00", "کمتر از ۳۰ درصد"),
        (200, 60, "3.50", "از ۳۰ تا کمتر از ۶۰ درصد"),
        (200, 119, "3.50", "از ۳۰ تا کمتر از ۶۰ درصد"),
        (200, 120, "7.00", "۶۰ درصد یا بیشتر"),
        (200, 200, "7.00", "۶۰ درصد یا بیشتر"),
        (0, 0, "7.00", "۶۰ درصد یا بیشتر"),
        (3, 1, "3.50", "از ۳۰ تا کمتر از ۶۰ درصد"),
        (10, 3, "3.50", "از ۳۰ تا کمتر از ۶۰ درصد"),
        (10, 6, "7.00", "۶۰ درصد یا بیشتر"),
    ],
)
def test_complaint_bands_as_in_seed_gauge_6_4_1(received, handled, points, band):
    # given
    cat = one_gauge(COMPLAINTS, max_score=7, fields=COMPLAINT_FIELDS)

    # when
    result = score_one(cat, {"fields": {"received": received, "handled": handled}})

    # then
    assert result.status == SCORED
    assert result.score == Decimal(points)
    assert band in result.explanation


def test_the_band_explanation_shows_the_value_and_the_inputs():
    # given
    cat = one_gauge(COMPLAINTS, max_score=7, fields=COMPLAINT_FIELDS)

    # when
    result = score_one(cat, {"fields": {"received": 200, "handled": 119}})

    # then
    assert "۵۹٫۵" in result.explanation
    assert "received=۲۰۰" in result.explanation
    assert "handled=۱۱۹" in result.explanation
    assert result.explanation.endswith("= ۳٫۵")


def test_the_first_case_that_holds_wins():
    # given: the bands are written in the wrong order on purpose
    rule = {
        "kind": "cases",
        "value": "x",
        "cases": [{"when": "value >= 10", "share": 0.5}, {"when": "value >= 20", "share": 1}],
    }
    cat = one_gauge(rule, fields=[field("x")])

    # when
    result = score_one(cat, {"fields": {"x": 25}})

    # then
    assert result.score == Decimal("5.00")


def test_no_case_holding_gives_zero_but_scored():
    # given
    rule = {"kind": "cases", "value": "x", "cases": [{"when": "value > 50", "share": 1}]}
    cat = one_gauge(rule, fields=[field("x")])

    # when
    result = score_one(cat, {"fields": {"x": 10}})

    # then
    assert result.status == SCORED
    assert result.score == 0
    assert "هیچ حالتی برقرار نیست" in result.explanation


def test_cases_may_test_fields_directly_without_a_value():
    # given
    rule = {
        "kind": "cases",
        "cases": [
            {"when": "report and days <= 10", "share": 1},
            {"when": "days <= 20", "share": 0.5},
        ],
    }
    cat = one_gauge(rule, fields=[field("report", "boolean"), field("days")])

    # when
    full = score_one(cat, {"fields": {"report": True, "days": 10}})
    half = score_one(cat, {"fields": {"report": False, "days": 10}})
    none = score_one(cat, {"fields": {"report": True, "days": 21}})

    # then
    assert (full.score, half.score, none.score) == (Decimal(10), Decimal(5), Decimal(0))


def test_cases_without_a_value_cannot_name_value():
    # given
    rule = {"kind": "cases", "cases": [{"when": "value >= 60", "share": 1}]}
    data = one_gauge_data(rule, fields=[field("x")])

    # when
    with pytest.raises(CatalogueError) as error:
        catalogue_from_data(data)

    # then
    assert "نماگر ۱.۱.۱" in str(error.value)
    assert "«value» تعریف نشده" in str(error.value)


def test_a_case_without_when_is_only_allowed_last():
    # given
    rule = {
        "kind": "cases",
        "value": "x",
        "cases": [{"share": 1}, {"when": "value > 1", "share": 0}],
    }
    data = one_gauge_data(rule, fields=[field("x")])

    # when
    with pytest.raises(CatalogueError) as error:
        catalogue_from_data(data)

    # then
    assert "نماگر ۱.۱.۱" in str(error.value)
    assert "فقط حالت آخر" in str(error.value)


@pytest.mark.parametrize("share", [Decimal("1.5"), -1, "half"])
def test_a_case_share_outside_zero_to_one_is_refused(share):
    rule = {"kind": "cases", "value": "x", "cases": [{"when": "value > 1", "share": share}]}
    with pytest.raises(CatalogueError) as error:
        one_gauge(rule, fields=[field("x")])
    assert "سهم باید عددی از ۰ تا ۱ باشد" in str(error.value)


def test_a_division_by_zero_in_a_case_makes_the_gauge_invalid():
    # given
    rule = {"kind": "cases", "value": "handled / received * 100", "cases": [{"share": 1}]}
    cat = one_gauge(rule, max_score=7, fields=COMPLAINT_FIELDS)

    # when
    result = score_one(cat, {"fields": {"received": 0, "handled": 5}})

    # then
    assert result.status == INVALID
    assert result.score == 0
    assert "تقسیم بر صفر" in result.problem
    assert "handled / received * 100" in result.problem


def test_zero_over_zero_makes_the_gauge_invalid_naming_the_expression():
    # given
    rule = {"kind": "cases", "value": "handled / received * 100", "cases": [{"share": 1}]}
    cat = one_gauge(rule, max_score=7, fields=COMPLAINT_FIELDS)

    # when
    result = score_one(cat, {"fields": {"received": 0, "handled": 0}})

    # then
    assert result.status == INVALID
    assert result.score == 0
    assert "handled / received * 100" in result.problem


# --- choice

CHOICE = {"kind": "choice", "options": {"complete": 1, "partial": Decimal("0.5"), "not_done": 0}}


@pytest.mark.parametrize(
    ("chosen", "points", "label"),
    [("complete", "10", "کامل"), ("partial", "5", "ناقص"), ("not_done", "0", "انجام نشده")],
)
def test_each_option_gives_its_share(chosen, points, label):
    # given
    cat = one_gauge(CHOICE, max_score=10)

    # when
    result = score_one(cat, {"choice": chosen})

    # then
    assert result.status == SCORED
    assert result.score == Decimal(points)
    assert f"«{label}»" in result.explanation


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        ({"choice": "perfect"}, "«perfect»"),
        ({"choice": 1}, "«1»"),
        ({}, "گزینه‌ای انتخاب نشده"),
        ({"choice": None}, "گزینه‌ای انتخاب نشده"),
    ],
)
def test_an_unknown_or_absent_option_is_invalid(answer, fragment):
    # given
    cat = one_gauge(CHOICE, max_score=10)

    # when
    result = score_one(cat, answer)

    # then
    assert result.status == INVALID
    assert result.score == 0
    assert fragment in result.problem


def test_choice_labels_of_the_catalogue_are_shown():
    # given
    rule = {**CHOICE, "labels": {"partial": "نیمه‌کاره"}}
    cat = one_gauge(rule, max_score=10)

    # when
    result = score_one(cat, {"choice": "partial"})

    # then
    assert "«نیمه‌کاره»" in result.explanation


# --- checklist

CHECKLIST = {
    "kind": "checklist",
    "items": [
        {"code": "a", "title": "مورد الف", "points": 2},
        {"code": "b", "title": "مورد ب", "points": Decimal("3.5")},
        {"code": "c", "title": "مورد ج", "points": Decimal("4.5")},
    ],
}


@pytest.mark.parametrize(
    ("checked", "points"),
    [
        ([], "0"),
        (["a"], "2"),
        (["a", "c"], "6.5"),
        (["c", "a"], "6.5"),
        (["a", "b", "c"], "10"),
        (["a", "a", "a"], "2"),
    ],
)
def test_checklist_sums_the_checked_items_once_each(checked, points):
    # given
    cat = one_gauge(CHECKLIST, max_score=10)

    # when
    result = score_one(cat, {"checked": checked})

    # then
    assert result.status == SCORED
    assert result.score == Decimal(points)


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        ({"checked": ["a", "z"]}, "«z»"),
        ({"checked": "a"}, "checked"),
        ({"checked": [1]}, "checked"),
        ({}, "checked"),
    ],
)
def test_an_unknown_item_or_a_bad_list_is_invalid(answer, fragment):
    # given
    cat = one_gauge(CHECKLIST, max_score=10)

    # when
    result = score_one(cat, answer)

    # then
    assert result.status == INVALID
    assert result.score == 0
    assert fragment in result.problem


def test_checklist_items_must_sum_to_the_gauge_max():
    # given
    data = one_gauge_data(CHECKLIST, max_score=12)

    # when
    with pytest.raises(CatalogueError) as error:
        catalogue_from_data(data)

    # then
    assert "نماگر ۱.۱.۱" in str(error.value)
    assert "(۱۰)" in str(error.value)
    assert "(۱۲)" in str(error.value)


def test_checklist_item_codes_must_be_unique():
    rule = {
        "kind": "checklist",
        "items": [
            {"code": "a", "title": "x", "points": 5},
            {"code": "a", "title": "y", "points": 5},
        ],
    }
    with pytest.raises(CatalogueError) as error:
        one_gauge(rule, max_score=10)
    assert "«a» تکراری" in str(error.value)


# --- judgement


@pytest.mark.parametrize(
    ("given", "points"),
    [(0, "0"), (10, "10"), (Decimal("7.5"), "7.5"), ("۷٫۵", "7.5"), (Decimal("7.25"), "7.25")],
)
def test_judgement_takes_the_evaluators_score(given, points):
    # given
    cat = one_gauge({"kind": "judgement"}, max_score=10)

    # when
    result = score_one(cat, {"score": given})

    # then
    assert result.status == SCORED
    assert result.score == Decimal(points)


@pytest.mark.parametrize(
    ("given", "fragment"),
    [
        (Decimal("10.01"), "بیرون از ۰ تا ۱۰"),
        (-1, "بیرون از ۰ تا ۱۰"),
        (Decimal("7.555"), "دو رقم اعشار"),
        ("خوب", "عدد نیست"),
        (True, "عدد نیست"),
        (None, "داده نشده"),
    ],
)
def test_judgement_outside_zero_to_max_or_not_a_number_is_invalid(given, fragment):
    # given
    cat = one_gauge({"kind": "judgement"}, max_score=10)

    # when
    result = score_one(cat, {"score": given})

    # then
    assert result.status == INVALID
    assert result.score == 0
    assert fragment in result.problem


def test_judgement_of_a_fractional_max():
    # given
    cat = one_gauge({"kind": "judgement"}, max_score=Decimal("7.5"))

    # when
    full = score_one(cat, {"score": Decimal("7.5")})
    over = score_one(cat, {"score": 8})

    # then
    assert full.score == Decimal("7.5")
    assert over.status == INVALID


# --- formula


@pytest.mark.parametrize(
    ("done", "planned", "points"),
    [(3, 4, "7.50"), (5, 4, "10.00"), (-1, 4, "0.00"), (0, 4, "0.00"), (4, 4, "10.00")],
)
def test_formula_share_is_clamped_to_zero_and_one(done, planned, points):
    # given
    cat = one_gauge(
        {"kind": "formula", "share": "done / planned"},
        max_score=10,
        fields=[field("done"), field("planned")],
    )

    # when
    result = score_one(cat, {"fields": {"done": done, "planned": planned}})

    # then
    assert result.status == SCORED
    assert result.score == Decimal(points)


def test_formula_requires_a_share():
    with pytest.raises(CatalogueError) as error:
        one_gauge({"kind": "formula"})
    assert "share" in str(error.value)


def test_a_number_written_unquoted_in_yaml_is_an_expression_too():
    # given: the contract: expressions are numbers, field codes ...; YAML reads 0.5 as a number
    text = (
        "format: karnameh-catalogue/1\ncode: t\ntitle: t\nyear: 1397\nlevel: provincial\n"
        "kind: general\naxes:\n"
        '  - {code: "1", title: a, max_score: 10, indicators: [{code: "1.1", title: i, '
        'max_score: 10, gauges: [{code: "1.1.1", title: g, max_score: 10, '
        "rule: {kind: formula, share: 0.5}}]}]}\n"
    )

    # when
    cat = parse_catalogue(text)

    # then
    assert Scorer(cat).score({"1.1.1": {}}).total == Decimal("5.00")


# --- convergence

BANDS = [
    {"when": "gap <= 5", "share": 1},
    {"when": "gap <= 10", "share": Decimal("0.5")},
    {"share": 0},
]


def convergence_catalogue():
    # The convergence gauge comes first: it must still see every other gauge's final score.
    return load(
        axis(
            "1",
            indicator("1.1", gauge("1.1.1", 10, {"kind": "convergence", "cases": BANDS})),
            indicator("1.2", gauge("1.2.1", 60), gauge("1.2.2", 30)),
        )
    )


@pytest.mark.parametrize(
    ("own", "points", "gap"),
    [
        (80, "10.00", "۰"),
        (84, "10.00", "۴"),
        (85, "10.00", "۵"),
        (75, "10.00", "۵"),
        (86, "5.00", "۶"),
        (90, "5.00", "۱۰"),
        ("90.01", "0.00", "۱۰٫۰۱"),
        (0, "0.00", "۸۰"),
    ],
)
def test_convergence_compares_the_own_total_with_every_other_gauge(own, points, gap):
    # given: the other gauges score 50 + 30 = 80 of a catalogue max of 100
    cat = convergence_catalogue()
    answers = {"1.1.1": {"self_total": own}, "1.2.1": {"score": 50}, "1.2.2": {"score": 30}}

    # when
    result = Scorer(cat).score(answers)

    # then
    gauge_result = result.gauge("1.1.1")
    assert gauge_result.status == SCORED
    assert gauge_result.score == Decimal(points)
    assert f"= {gap}٪" in gauge_result.explanation
    assert result.total == Decimal(80) + Decimal(points)


@pytest.mark.parametrize("answer", [{}, {"self_total": "بسیار"}, {"self_total": -1}])
def test_convergence_without_a_self_total_is_invalid(answer):
    # given
    cat = convergence_catalogue()

    # when
    result = Scorer(cat).score({"1.1.1": answer, "1.2.1": {"score": 50}})

    # then
    assert result.gauge("1.1.1").status == INVALID
    assert "self_total" in result.gauge("1.1.1").problem
    assert result.total == Decimal(50)


def test_convergence_counts_invalid_and_missing_gauges_as_zero():
    # given
    cat = convergence_catalogue()
    answers = {"1.1.1": {"self_total": 4}, "1.2.1": {"score": 61}}

    # when
    result = Scorer(cat).score(answers)

    # then: 1.2.1 is invalid and 1.2.2 missing, so the final total of the others is 0
    assert result.gauge("1.2.1").status == INVALID
    assert result.gauge("1.1.1").score == Decimal("10.00")


# --- rounding of max × share


@pytest.mark.parametrize(
    ("max_score", "share", "points"),
    [
        (7, "1 / 3", "2.33"),
        (7, "2 / 3", "4.67"),
        (10, "0.2345", "2.35"),
        (10, "0.3325", "3.33"),
        (10, "0.3335", "3.34"),
        (Decimal("0.01"), "0.5", "0.01"),
        (3, "0.001665", "0.00"),
        (3, "0.001667", "0.01"),
    ],
)
def test_points_are_max_times_share_rounded_half_up_to_two_decimals(max_score, share, points):
    # given: bankers' rounding would give 2.34 for 2.345 and 3.32 for 3.325
    cat = one_gauge({"kind": "formula", "share": share}, max_score=max_score)

    # when
    result = score_one(cat, {})

    # then
    assert result.score == Decimal(points)
    assert str(result.score) == points


def test_a_choice_share_is_rounded_half_up_too():
    # given
    cat = one_gauge({"kind": "choice", "options": {"some": Decimal("0.2345")}}, max_score=10)

    # when
    result = score_one(cat, {"choice": "some"})

    # then
    assert result.score == Decimal("2.35")


def test_an_unknown_rule_kind_is_refused():
    with pytest.raises(CatalogueError) as error:
        one_gauge({"kind": "magic"})
    assert "«magic»" in str(error.value)
    assert "نماگر ۱.۱.۱" in str(error.value)


@pytest.mark.parametrize(
    ("rule", "key"),
    [
        ({"kind": "target", "actul": "actual"}, "actul"),
        ({"kind": "judgement", "max": 3}, "max"),
        ({"kind": "formula", "share": "1", "clamp": True}, "clamp"),
    ],
)
def test_an_unknown_rule_key_is_refused(rule, key):
    with pytest.raises(CatalogueError) as error:
        one_gauge(rule, fields=ACTUAL, target=10)
    assert key in str(error.value)
