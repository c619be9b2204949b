"""Loading a catalogue file: strict, every problem at once, each with its place and line.

The catalogue of ``data/loader-base.yaml`` is valid; each test breaks one thing in it.
"""

import copy
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from karnameh.scoring import (
    SCORED,
    CatalogueError,
    Scorer,
    catalogue_from_data,
    load_catalogue,
    parse_catalogue,
)

from .builders import axis as axis_data
from .builders import catalogue as catalogue_data
from .builders import field, gauge, indicator, one_gauge_data

BASE = (Path(__file__).parent / "data" / "loader-base.yaml").read_text(encoding="utf-8")


def broken(old: str, new: str) -> CatalogueError:
    """The error of loading the base catalogue with ``old`` replaced by ``new``."""
    assert old in BASE, old
    with pytest.raises(CatalogueError) as error:
        parse_catalogue(BASE.replace(old, new, 1), name="catalogue.yaml")
    return error.value


def refused(data: dict) -> CatalogueError:
    """The error of loading ``data``; the data is left as it was."""
    before = copy.deepcopy(data)
    with pytest.raises(CatalogueError) as error:
        catalogue_from_data(data, name="c.yaml")
    assert data == before
    return error.value


# --- The valid base


def test_the_base_catalogue_loads():
    # when
    cat = parse_catalogue(BASE)

    # then
    assert cat.code == "loader-test"
    assert cat.max_score == Decimal(30)
    assert [g.code for _i, g in cat.gauges()] == ["1.1.1", "1.1.2", "1.2.1"]


def test_decimals_are_read_exactly_as_written():
    # when
    cat = parse_catalogue(BASE)

    # then
    first = cat.gauge("1.1.1")[1]
    second = cat.gauge("1.1.2")[1]
    assert first.max_score == Decimal("12.5")
    assert second.max_score == Decimal("7.5")
    assert second.rule.options == {"yes": Decimal(1), "no": Decimal("0.1")}
    assert Scorer(cat).score({"1.1.2": {"choice": "no"}}).total == Decimal("0.75")


def test_tenths_add_up_exactly():
    # given: 0.1 + 0.2 is 0.30000000000000004 in floats
    text = BASE.replace("max_score: 12.5", "max_score: 0.1").replace(
        "max_score: 7.5", "max_score: 0.2"
    )
    text = text.replace("max_score: 20", "max_score: 0.3").replace(
        "    max_score: 30\n", "    max_score: 10.3\n"
    )
    text = text.replace("max_score: 30\naxes", "max_score: 10.3\naxes")

    # when
    cat = parse_catalogue(text)

    # then
    assert cat.max_score == Decimal("10.3")
    assert cat.axes[0].indicators[0].max_score == Decimal("0.3")


def test_yes_and_no_option_codes_stay_text():
    # when: YAML 1.1 would read the keys yes and no as true and false
    cat = parse_catalogue(BASE)
    result = Scorer(cat).score({"1.1.2": {"choice": "yes"}})

    # then
    assert result.gauge("1.1.2").status == SCORED
    assert result.gauge("1.1.2").score == Decimal("7.5")
    assert "«بلی»" in result.gauge("1.1.2").explanation


def test_yes_is_not_a_boolean_flag():
    # when
    error = broken(
        "        target: 100\n", "        target: 100\n        allow_not_applicable: yes\n"
    )

    # then
    assert "شاخص ۱.۱" in str(error)
    assert "«allow_not_applicable» باید true یا false باشد" in str(error)


# --- YAML itself


def test_a_yaml_syntax_error_names_the_line():
    # when
    error = broken("rule: {kind: judgement}", "rule: {kind: judgement")

    # then
    assert str(error).startswith("catalogue.yaml، سطر ۴۰: YAML درست نیست")
    assert error.problems[0].line == 40


def test_a_duplicate_key_is_refused_with_its_line():
    # when
    error = broken(
        '            title: "نماگر سه"\n',
        '            title: "نماگر سه"\n            title: "دو"\n',
    )

    # then
    assert "کلید «title» دو بار آمده است" in str(error)
    assert "سطر ۳۸" in str(error)


def test_a_file_that_is_not_a_mapping_is_refused():
    with pytest.raises(CatalogueError) as error:
        parse_catalogue("- a\n- b\n", name="list.yaml")
    assert "list.yaml" in str(error.value)
    assert "نگاشت" in str(error.value)


# --- Keys


def test_a_typo_in_a_key_is_an_unknown_key_at_its_place_and_line():
    # when
    error = broken("max_score: 12.5", "max_scor: 12.5")

    # then
    message = str(error)
    assert "catalogue.yaml، سطر ۲۰، نماگر ۱.۱.۱: کلید ناشناختهٔ «max_scor»" in message
    assert "کلید «max_score» لازم است" in message


def test_a_missing_required_key_is_named():
    # when
    error = broken("            rule: {kind: judgement}\n", "")

    # then
    assert "سطر ۳۶" in str(error)
    assert "نماگر ۱.۲.۱: کلید «rule» لازم است" in str(error)
    assert str(error).count("rule") == 1


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        ("code: loader-test", "code: Loader_Test", "کد «Loader_Test» درست نیست"),
        ('      - code: "1.2"', '      - code: "2.1"', "کد «2.1» درست نیست"),
        ('      - code: "1.2"', '      - code: "1.2.1"', "کد «1.2.1» درست نیست"),
        ('          - code: "1.2.1"', '          - code: "1.2"', "کد «1.2» درست نیست"),
        ('          - code: "1.2.1"', '          - code: "1.1.3"', "کد «1.1.3» درست نیست"),
        ('          - code: "1.2.1"', '          - code: "1.2.x"', "کد «1.2.x» درست نیست"),
    ],
)
def test_codes_must_follow_their_parents(old, new, fragment):
    # when
    error = broken(old, new)

    # then
    assert fragment in str(error)


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        ('      - code: "1.2"', "      - code: 1.2", "1.2"),
        ('          - code: "1.2.1"', "          - code: 1.10", "1.10"),
        ('  - code: "1"', "  - code: 1", "1"),
    ],
)
def test_an_unquoted_numeric_code_is_refused_with_advice_to_quote_it(old, new, code):
    # when
    error = broken(old, new)

    # then
    assert f'کد «{code}» باید در گیومه نوشته شود (مثل "{code}")' in str(error)


def test_an_unquoted_code_like_2_10_keeps_its_trailing_zero_in_the_advice():
    # given: an indicator 1.10 written without quotes would silently become 1.1
    data = BASE.replace('      - code: "1.2"', "      - code: 1.10")

    # when
    with pytest.raises(CatalogueError) as error:
        parse_catalogue(data)

    # then
    assert '(مثل "1.10")' in str(error.value)
    assert "سطر ۳۲" in str(error.value)


# --- Maxima


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        (
            "            max_score: 10\n            rule: {kind: judgement}",
            "            max_score: 11\n            rule: {kind: judgement}",
            "سطر ۳۲، شاخص ۱.۲: جمع سقف نماگرها (۱۱) با سقف ۱۰ برابر نیست",
        ),
        (
            "        max_score: 20\n",
            "        max_score: 25\n",
            "شاخص ۱.۱: جمع سقف نماگرها (۲۰) با سقف ۲۵ برابر نیست",
        ),
        (
            "    max_score: 30\n    indicators",
            "    max_score: 35\n    indicators",
            "محور ۱: جمع سقف شاخص‌ها (۳۰) با سقف ۳۵ برابر نیست",
        ),
        (
            "max_score: 30\naxes",
            "max_score: 40\naxes",
            "سقف کل: جمع سقف محورها (۳۰) با سقف ۴۰ برابر نیست",
        ),
    ],
)
def test_maxima_must_add_up_at_every_level(old, new, fragment):
    # when
    error = broken(old, new)

    # then
    assert fragment in str(error)


@pytest.mark.parametrize("value", ["12.505", "-12.5", "0", '"12.5"', "ده"])
def test_a_max_score_must_be_positive_with_at_most_two_decimals(value):
    # when
    error = broken("max_score: 12.5", f"max_score: {value}")

    # then
    assert "نماگر ۱.۱.۱: «max_score» باید عددی مثبت با حداکثر دو رقم اعشار باشد" in str(error)


def test_without_a_declared_max_the_total_is_the_sum_of_the_axes():
    # when
    cat = parse_catalogue(BASE.replace("max_score: 30\naxes", "axes"))

    # then
    assert cat.declared_max is None
    assert cat.max_score == Decimal(30)


# --- Catalogue keys


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        (
            "format: karnameh-catalogue/1",
            "format: karnameh-catalogue/2",
            "«karnameh-catalogue/1» لازم است",
        ),
        ("year: 1397", "year: 1299", "میان ۱۳۰۰ و ۱۵۰۰"),
        ("year: 1397", "year: 1501", "میان ۱۳۰۰ و ۱۵۰۰"),
        ("year: 1397", "year: 2018", "میان ۱۳۰۰ و ۱۵۰۰"),
        ("year: 1397", 'year: "1397"', "میان ۱۳۰۰ و ۱۵۰۰"),
        ("level: provincial", "level: city", "«level» باید یکی از national، provincial باشد"),
        ("kind: general", "kind: mixed", "«kind» باید یکی از general، specific باشد"),
        (
            "not_applicable: axis",
            "not_applicable: gauge",
            "«not_applicable» باید یکی از axis، total",
        ),
        ("unit: percent", "unit: kg", "شاخص ۱.۱: واحد «kg» تعریف نشده است"),
        ("{kind: judgement}", "{kind: magic}", "نماگر ۱.۲.۱، قاعده: نوع قاعدهٔ «magic» تعریف نشده"),
        ("type: number}", "type: text}", "نماگر ۱.۱.۱، فیلد ۱: نوع «text» تعریف نشده است"),
        ("target: 100", "target: -1", 'شاخص ۱.۱: هدف «-1» باید عددی نامنفی یا "*" باشد'),
        ("target: 100", "target: '**'", 'هدف «**» باید عددی نامنفی یا "*" باشد'),
    ],
)
def test_values_outside_the_format_are_refused(old, new, fragment):
    # when
    error = broken(old, new)

    # then
    assert fragment in str(error)


@pytest.mark.parametrize("year", ["1300", "1500"])
def test_the_year_range_includes_its_ends(year):
    assert parse_catalogue(BASE.replace("year: 1397", f"year: {year}")).year == int(year)


def test_several_problems_are_reported_at_once_in_line_order():
    # given
    text = BASE.replace("year: 1397", "year: 1299").replace("unit: percent", "unit: kg")
    text = text.replace("{kind: judgement}", "{kind: magic}")

    # when
    with pytest.raises(CatalogueError) as error:
        parse_catalogue(text, name="c.yaml")

    # then
    assert [(p.line, p.place) for p in error.value.problems] == [
        (1, ""),
        (14, "شاخص ۱.۱"),
        (39, "نماگر ۱.۲.۱، قاعده"),
    ]
    assert len(str(error.value).splitlines()) == 3


def test_the_message_lists_the_problems_in_the_same_order_as_problems():
    # given: a gauge's rule (line 39) and its indicator's sum (line 32) are both wrong
    text = BASE.replace(
        "            max_score: 10\n            rule: {kind: judgement}",
        "            max_score: 11\n            rule: {kind: magic}",
    )

    # when
    with pytest.raises(CatalogueError) as error:
        parse_catalogue(text, name="c.yaml")

    # then
    assert str(error.value).splitlines() == [p.text("c.yaml") for p in error.value.problems]
    assert [p.line for p in error.value.problems] == [32, 39]


def test_duplicate_gauge_codes_are_refused():
    # when
    error = broken('          - code: "1.1.2"', '          - code: "1.1.1"')

    # then
    assert "شاخص ۱.۱: نماگر ۱.۱.۱ تکراری است" in str(error)


# --- Fields


@pytest.mark.parametrize(
    "name",
    ["value", "gap", "min", "max", "abs", "round", "clamp", "if", "and", "not", "lambda", "true"],
)
def test_reserved_names_cannot_be_field_codes(name):
    # given
    data = one_gauge_data({"kind": "judgement"}, fields=[field(name)])

    # when
    error = refused(data)

    # then
    assert f"نماگر ۱.۱.۱، فیلد ۱: نام «{name}» رزرو شده است" in str(error)


@pytest.mark.parametrize("code", ["Actual", "1st", "_x", "has-dash", "a" * 41, "خدمات"])
def test_a_field_code_must_be_lower_case_latin(code):
    error = refused(one_gauge_data({"kind": "judgement"}, fields=[field(code)]))
    assert f"کد «{code}» درست نیست" in str(error)


def test_duplicate_field_codes_are_refused():
    # given
    data = one_gauge_data({"kind": "judgement"}, fields=[field("a"), field("b"), field("a")])

    # when
    error = refused(data)

    # then
    assert "نماگر ۱.۱.۱: فیلد «a» تکراری است" in str(error)


@pytest.mark.parametrize("previous", ["staff_last_year", "staff_previous"])
def test_previous_must_name_another_field_of_the_gauge(previous):
    # given
    fields = [field("staff"), field("staff_previous", previous=previous)]
    data = one_gauge_data({"kind": "judgement"}, fields=fields)

    # when
    error = refused(data)

    # then
    assert "«previous» فیلد «staff_previous» باید فیلد دیگری از همین نماگر باشد" in str(error)


def test_previous_naming_a_field_of_the_gauge_loads():
    # given
    fields = [field("staff"), field("staff_previous", previous="staff")]

    # when
    cat = catalogue_from_data(one_gauge_data({"kind": "judgement"}, fields=fields))

    # then
    assert cat.gauge("1.1.1")[1].field("staff_previous").previous == "staff"


TABLE = {
    "code": "rows",
    "title": "فهرست",
    "columns": [
        {"code": "status", "label": "وضعیت", "type": "choice", "options": ["done", "not_done"]},
        {"code": "note", "label": "توضیح", "type": "text"},
    ],
}


@pytest.mark.parametrize(
    ("source", "fragment"),
    [
        ({"table": "other", "aggregate": "count"}, "جدول «other» در این نماگر تعریف نشده است"),
        (
            {"table": "rows", "aggregate": "count", "column": "days", "equals": "x"},
            "ستون «days» در جدول «rows» نیست",
        ),
        (
            {"table": "rows", "aggregate": "median", "column": "status"},
            "تابع «median» تعریف نشده است",
        ),
        ({"table": "rows", "aggregate": "sum", "column": "note"}, "تابع «sum» ستون عددی می‌خواهد"),
        ({"table": "rows", "aggregate": "mean"}, "تابع «mean» ستون (column) می‌خواهد"),
        ({"table": "rows", "aggregate": "percent", "column": "status"}, "مقدار مقایسه (equals)"),
        ({"table": "rows", "aggregate": "count", "colum": "status"}, "کلید ناشناختهٔ «colum»"),
    ],
)
def test_from_must_name_a_table_column_and_aggregate_of_the_gauge(source, fragment):
    # given
    data = one_gauge_data(
        {"kind": "judgement"}, fields=[field("f", **{"from": source})], tables=[TABLE]
    )

    # when
    error = refused(data)

    # then
    assert "نماگر ۱.۱.۱، فیلد ۱، from" in str(error)
    assert fragment in str(error)


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        ({"type": "choice"}, "options"),
        ({"type": "choice", "options": {"a": "یک"}}, "گزینهٔ «a»"),
        ({"type": "number", "options": {"a": 1}}, "فقط فیلد گزینه‌ای"),
        ({"type": "boolean", "min": 0}, "«min» فقط برای فیلد عددی"),
        ({"type": "number", "max": "زیاد"}, "«max» فقط برای فیلد عددی"),
        ({"type": "number", "widget": "slider"}, "کلید ناشناختهٔ «widget»"),
        ({"type": "number", "label": None}, "«label» خالی است"),
    ],
)
def test_field_keys_are_checked_by_type(extra, fragment):
    # given
    data = one_gauge_data({"kind": "judgement"}, fields=[{**field("f"), **extra}])

    # when
    error = refused(data)

    # then
    assert "نماگر ۱.۱.۱، فیلد ۱" in str(error)
    assert fragment in str(error)


def test_an_expression_naming_an_undeclared_field_is_refused():
    # given
    data = one_gauge_data(
        {"kind": "formula", "share": "done / planed"}, fields=[field("done"), field("planned")]
    )

    # when
    error = refused(data)

    # then
    assert "نماگر ۱.۱.۱، قاعده" in str(error)
    assert "«planed» تعریف نشده" in str(error)


def test_a_refused_structure_leaves_the_data_unchanged_and_names_every_level():
    # given: an axis without indicators and an indicator whose gauges are not a list
    data = catalogue_data(
        axis_data("1", indicator("1.1", gauge("1.1.1", 10))),
        {"code": "2", "title": "محور ۲", "max_score": 5, "indicators": []},
        {
            "code": "3",
            "title": "محور ۳",
            "max_score": 5,
            "indicators": [{"code": "3.1", "title": "ش", "max_score": 5, "gauges": "none"}],
        },
    )

    # when
    error = refused(data)

    # then
    assert "محور ۲: «indicators» باید فهرستی ناتهی باشد" in str(error)
    assert "شاخص ۳.۱: «gauges» باید فهرستی ناتهی باشد" in str(error)


# --- Files


def test_a_missing_file_is_named(tmp_path):
    # given
    path = tmp_path / "nowhere.yaml"

    # when
    with pytest.raises(CatalogueError) as error:
        load_catalogue(path)

    # then
    assert str(error.value) == f"{path}: پرونده پیدا نشد"


def test_a_file_not_in_utf8_is_refused(tmp_path):
    # given
    path = tmp_path / "latin.yaml"
    path.write_bytes("title: 'ارزیابی'".encode("utf-16"))

    # when
    with pytest.raises(CatalogueError) as error:
        load_catalogue(path)

    # then
    assert str(error.value) == f"{path}: پرونده UTF-8 نیست"


def test_a_directory_is_not_a_catalogue(tmp_path):
    with pytest.raises(CatalogueError) as error:
        load_catalogue(tmp_path)
    assert str(tmp_path) in str(error.value)


def test_a_file_loads_by_path_and_errors_name_the_file(tmp_path):
    # given
    good = tmp_path / "good.yaml"
    good.write_text(BASE, encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(BASE.replace("unit: percent", "unit: kg"), encoding="utf-8")

    # when
    cat = load_catalogue(good)
    with pytest.raises(CatalogueError) as error:
        load_catalogue(bad)

    # then
    assert cat.code == "loader-test"
    assert str(error.value).startswith(f"{bad}، سطر ۱۴، شاخص ۱.۱: ")


# --- Hostile files: refused with a message, never a crash


def test_a_deeply_nested_file_is_refused_with_a_message():
    # given
    text = "a: " + "[" * 2000 + "]" * 2000

    # when
    with pytest.raises(CatalogueError) as error:
        parse_catalogue(text, name="deep.yaml")

    # then
    assert str(error.value).startswith("deep.yaml")


def test_a_very_deeply_nested_file_does_not_kill_the_process():
    # given: 60 KB of dashes; run apart, as a crash here would end the test run itself
    script = (
        "from karnameh.scoring import CatalogueError, parse_catalogue\n"
        "try:\n"
        "    parse_catalogue('- ' * 30000 + 'x', name='deep.yaml')\n"
        "except CatalogueError as error:\n"
        "    print('refused:', str(error)[:40])\n"
    )

    # when
    run = subprocess.run(  # noqa: S603 - this interpreter, our own script
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )

    # then
    assert run.returncode == 0, run.stderr[-300:]
    assert run.stdout.startswith("refused: deep.yaml")


def test_an_integer_too_long_to_read_is_refused_with_a_message():
    # when
    error = broken("max_score: 12.5", "max_score: 1" + "0" * 5000)

    # then
    assert "catalogue.yaml" in str(error)
