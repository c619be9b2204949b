"""Reading the figures of an answer: each field type, Persian digits, and list tables."""

from decimal import Decimal

import pytest

from karnameh.scoring import INVALID, SCORED

from .builders import field, one_gauge, score_one


def formula_over(field_data: dict, share: str = "f / 100"):
    """A gauge of max 10 whose share is ``share`` over one field ``f``."""
    return one_gauge({"kind": "formula", "share": share}, max_score=10, fields=[field_data])


# --- Field types


@pytest.mark.parametrize(
    ("raw", "points"),
    [(0, "0.00"), (50, "5.00"), (Decimal("12.5"), "1.25"), (1000, "10.00"), ("۱۲٫۵", "1.25")],
)
def test_a_number_field_within_its_bounds(raw, points):
    # given
    cat = formula_over(field("f", "number", min=0, max=1000))

    # when
    result = score_one(cat, {"fields": {"f": raw}})

    # then
    assert result.status == SCORED
    assert result.score == Decimal(points)


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (-1, "کمتر از ۰"),
        (Decimal("1000.5"), "بیشتر از ۱۰۰۰"),
        ("بیست", "باید عدد باشد"),
        (True, "باید عدد باشد"),
        ([1], "باید عدد باشد"),
        ("", "باید عدد باشد"),
    ],
)
def test_a_number_field_out_of_bounds_or_not_a_number_is_invalid(raw, fragment):
    # given
    cat = formula_over(field("f", "number", min=0, max=1000))

    # when
    result = score_one(cat, {"fields": {"f": raw}})

    # then
    assert result.status == INVALID
    assert result.score == 0
    assert "«برچسب f» (f)" in result.problem
    assert fragment in result.problem


@pytest.mark.parametrize(
    ("raw", "points"), [(0, "0.00"), (3, "0.30"), ("۱۲", "1.20"), (Decimal("7.0"), "0.70")]
)
def test_an_integer_field_takes_whole_numbers(raw, points):
    # given
    cat = formula_over(field("f", "integer"))

    # when
    result = score_one(cat, {"fields": {"f": raw}})

    # then
    assert result.score == Decimal(points)


@pytest.mark.parametrize("raw", [Decimal("3.5"), -1, "۲٫۵"])
def test_an_integer_field_refuses_fractions_and_negatives(raw):
    # given
    cat = formula_over(field("f", "integer"))

    # when
    result = score_one(cat, {"fields": {"f": raw}})

    # then
    assert result.status == INVALID
    assert "عدد صحیح نامنفی" in result.problem


@pytest.mark.parametrize(
    ("raw", "status"), [(0, INVALID), (Decimal(0), INVALID), ("۰", INVALID), (1, SCORED)]
)
def test_an_integer_field_respects_its_min(raw, status):
    # given: the loader accepts «min» on an integer field, so scoring must honour it
    cat = formula_over(field("f", "integer", min=1))

    # when
    result = score_one(cat, {"fields": {"f": raw}})

    # then
    assert result.status == status


@pytest.mark.parametrize(("raw", "status"), [(5, INVALID), (Decimal(5), INVALID), (10, SCORED)])
def test_a_number_field_respects_its_min_whatever_the_json_type(raw, status):
    cat = formula_over(field("f", "number", min=10))
    assert score_one(cat, {"fields": {"f": raw}}).status == status


def test_an_integer_field_respects_its_max():
    cat = formula_over(field("f", "integer", max=20))
    assert score_one(cat, {"fields": {"f": 20}}).score == Decimal("2.00")
    assert score_one(cat, {"fields": {"f": 21}}).status == INVALID


@pytest.mark.parametrize(
    ("raw", "status"),
    [(0, SCORED), (100, SCORED), (Decimal("100.01"), INVALID), (Decimal("-0.1"), INVALID)],
)
def test_a_percent_field_runs_from_0_to_100(raw, status):
    # given
    cat = formula_over(field("f", "percent"))

    # when
    result = score_one(cat, {"fields": {"f": raw}})

    # then
    assert result.status == status
    if status == INVALID:
        assert "از ۰ تا ۱۰۰" in result.problem


@pytest.mark.parametrize(("raw", "points"), [(True, "10.00"), (False, "0.00")])
def test_a_boolean_field_is_one_or_zero(raw, points):
    # given
    cat = formula_over(field("f", "boolean"), share="f")

    # when
    result = score_one(cat, {"fields": {"f": raw}})

    # then
    assert result.score == Decimal(points)


@pytest.mark.parametrize("raw", ["true", 1, 0, "بلی", "yes"])
def test_a_boolean_field_only_takes_true_or_false(raw):
    # given
    cat = formula_over(field("f", "boolean"), share="f")

    # when
    result = score_one(cat, {"fields": {"f": raw}})

    # then
    assert result.status == INVALID
    assert "true/false" in result.problem


CHOICE_FIELD = field("f", "choice", options={"low": 0, "mid": Decimal("0.5"), "high": 1})


@pytest.mark.parametrize(("raw", "points"), [("low", "0.00"), ("mid", "5.00"), ("high", "10.00")])
def test_a_choice_field_is_its_options_number(raw, points):
    # given
    cat = formula_over(CHOICE_FIELD, share="f")

    # when
    result = score_one(cat, {"fields": {"f": raw}})

    # then
    assert result.score == Decimal(points)


@pytest.mark.parametrize("raw", ["extreme", 1, True])
def test_a_choice_field_refuses_an_unknown_option(raw):
    # given
    cat = formula_over(CHOICE_FIELD, share="f")

    # when
    result = score_one(cat, {"fields": {"f": raw}})

    # then
    assert result.status == INVALID
    assert f"«{raw}»" in result.problem
    assert "low" in result.problem


@pytest.mark.parametrize(
    ("typed", "number"),
    [("۱۲٫۵", "12.5"), ("١٢٫٥", "12.5"), (" 42 ", "42"), ("۰٫۰۵", "0.05"), ("12.50", "12.5")],
)
def test_numbers_may_be_strings_of_persian_or_arabic_digits(typed, number):
    # given
    cat = formula_over(field("f"), share="f / 100")

    # when
    result = score_one(cat, {"fields": {"f": typed}})

    # then
    assert result.status == SCORED
    assert result.inputs["f"] == Decimal(number)


def test_a_missing_field_is_invalid_naming_its_label_and_code():
    # given
    cat = one_gauge(
        {"kind": "formula", "share": "a / b"},
        fields=[field("a", label="شکایات رسیدگی‌شده"), field("b", label="شکایات دریافتی")],
    )

    # when
    result = score_one(cat, {"fields": {"a": 4}})

    # then
    assert result.status == INVALID
    assert result.problem == "«شکایات دریافتی» (b) وارد نشده است"
    assert result.score == 0


@pytest.mark.parametrize("fields", [[1, 2], "a=1", 5])
def test_fields_that_are_not_an_object_make_the_gauge_invalid(fields):
    # given
    cat = formula_over(field("f"))

    # when
    result = score_one(cat, {"fields": fields})

    # then
    assert result.status == INVALID
    assert "«fields»" in result.problem


# --- List tables

SERVICES = {
    "code": "services",
    "title": "خدمات",
    "columns": [
        {"code": "name", "label": "نام خدمت", "type": "text"},
        {
            "code": "status",
            "label": "وضعیت",
            "type": "choice",
            "options": ["done", "partial", "not_done", "not_applicable"],
        },
        {"code": "days", "label": "روز", "type": "number"},
        {"code": "online", "label": "برخط", "type": "boolean"},
    ],
}
ROWS = [
    {"name": "الف", "status": "done", "days": 10, "online": True},
    {"name": "ب", "status": "partial", "days": 20, "online": False},
    {"name": "ج", "status": "not_applicable", "days": 30},
    {"name": "د", "status": "done"},
]


def table_gauge(aggregate: dict, share: str = "f / 100"):
    the_field = field("f", "number", **{"from": {"table": "services", **aggregate}})
    return one_gauge(
        {"kind": "formula", "share": share}, max_score=10, fields=[the_field], tables=[SERVICES]
    )


@pytest.mark.parametrize(
    ("aggregate", "figure"),
    [
        ({"aggregate": "count"}, "4"),
        ({"aggregate": "count", "column": "status", "equals": "done"}, "2"),
        ({"aggregate": "count", "column": "online", "equals": True}, "1"),
        ({"aggregate": "sum", "column": "days"}, "60"),
        ({"aggregate": "mean", "column": "days"}, "20"),
        ({"aggregate": "min", "column": "days"}, "10"),
        ({"aggregate": "max", "column": "days"}, "30"),
    ],
)
def test_a_field_computed_from_a_list_table(aggregate, figure):
    # given
    cat = table_gauge(aggregate)

    # when
    result = score_one(cat, {"tables": {"services": ROWS}})

    # then
    assert result.status == SCORED
    assert result.inputs["f"] == Decimal(figure)
    assert result.score == Decimal(figure) / 10


def test_percent_leaves_out_not_applicable_and_unanswered_rows():
    # given: done in 2 of the 3 applicable rows (ج is not applicable)
    cat = table_gauge({"aggregate": "percent", "column": "status", "equals": "done"}, "f / 100")
    rows = [*ROWS, {"name": "ه"}]

    # when
    result = score_one(cat, {"tables": {"services": rows}})

    # then
    assert result.status == SCORED
    assert result.score == Decimal("6.67")
    assert round(result.inputs["f"], 4) == Decimal("66.6667")


def test_percent_over_a_table_with_no_applicable_rows_is_invalid():
    # given
    cat = table_gauge({"aggregate": "percent", "column": "status", "equals": "done"})
    rows = [{"name": "الف", "status": "not_applicable"}, {"name": "ب"}]

    # when
    result = score_one(cat, {"tables": {"services": rows}})

    # then
    assert result.status == INVALID
    assert "«خدمات»" in result.problem


@pytest.mark.parametrize("aggregate", ["mean", "min", "max"])
def test_a_mean_min_or_max_of_an_empty_column_is_invalid(aggregate):
    # given
    cat = table_gauge({"aggregate": aggregate, "column": "days"})

    # when
    result = score_one(cat, {"tables": {"services": [{"name": "الف"}]}})

    # then
    assert result.status == INVALID
    assert "«خدمات»" in result.problem


def test_a_row_with_an_unknown_option_is_invalid_naming_the_row():
    # given
    cat = table_gauge({"aggregate": "percent", "column": "status", "equals": "done"})
    rows = [{"status": "done"}, {"status": "finished"}]

    # when
    result = score_one(cat, {"tables": {"services": rows}})

    # then
    assert result.status == INVALID
    assert "ردیف ۲" in result.problem
    assert "«finished»" in result.problem


def test_a_row_with_a_non_number_is_invalid_naming_the_row_and_column():
    # given
    cat = table_gauge({"aggregate": "sum", "column": "days"})

    # when
    result = score_one(cat, {"tables": {"services": [{"days": 3}, {"days": "سه"}]}})

    # then
    assert result.status == INVALID
    assert "ردیف ۲" in result.problem
    assert "«روز»" in result.problem


@pytest.mark.parametrize("rows", [{"name": "الف"}, "rows"])
def test_a_table_that_is_not_a_list_is_invalid(rows):
    cat = table_gauge({"aggregate": "count"})
    result = score_one(cat, {"tables": {"services": rows}})
    assert result.status == INVALID
    assert "«خدمات»" in result.problem


def test_an_answer_may_give_the_aggregated_figure_directly():
    # given
    cat = table_gauge({"aggregate": "percent", "column": "status", "equals": "done"})

    # when
    result = score_one(cat, {"fields": {"f": 40}})

    # then
    assert result.status == SCORED
    assert result.score == Decimal("4.00")


def test_a_table_field_with_neither_table_nor_figure_is_missing():
    # given
    cat = table_gauge({"aggregate": "count"})

    # when
    result = score_one(cat, {"tables": {}})

    # then
    assert result.status == INVALID
    assert "(f) وارد نشده است" in result.problem
