"""The answers file: refused as a whole when not shaped as the contract says, naming the place."""

import json
from decimal import Decimal

import pytest

from karnameh.scoring import AnswersError, Scorer, load_answers, parse_answers

from .builders import axis, gauge, indicator, load

CATALOGUE = load(
    axis("1", indicator("1.1", gauge("1.1.1", 10), gauge("1.1.2", 5))),
    axis("2", indicator("2.10", gauge("2.10.1", 15))),
)


def refusal(text: str | bytes) -> str:
    with pytest.raises(AnswersError) as error:
        parse_answers(text, CATALOGUE, name="answers.json")
    return str(error.value)


def test_a_well_formed_file_gives_each_gauges_answer():
    # given
    text = '{"gauges": {"1.1.1": {"score": 7.5}, "2.10.1": {"not_applicable": false, "score": 15}}}'

    # when
    answers = parse_answers(text, CATALOGUE)

    # then
    assert answers == {
        "1.1.1": {"score": Decimal("7.5")},
        "2.10.1": {"not_applicable": False, "score": 15},
    }
    assert Scorer(CATALOGUE).score(answers).total == Decimal("22.5")


def test_json_numbers_are_read_as_exact_decimals():
    # given
    text = '{"gauges": {"1.1.1": {"score": 0.1}, "1.1.2": {"score": 0.2}}}'

    # when
    result = Scorer(CATALOGUE).score(parse_answers(text, CATALOGUE))

    # then
    assert result.total == Decimal("0.3")
    assert isinstance(parse_answers(text, CATALOGUE)["1.1.1"]["score"], Decimal)


def test_text_that_is_not_json_is_refused_with_its_line():
    # when
    message = refusal('{\n  "gauges": {\n    "1.1.1": {"score": 3},\n  }\n}')

    # then
    assert message.startswith("answers.json، سطر ۴: JSON درست نیست")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[]", "باید شیئی با کلید «gauges» باشد"),
        ('"gauges"', "باید شیئی با کلید «gauges» باشد"),
        ("{}", "کلید «gauges» باید شیئی از پاسخ نماگرها باشد"),
        ('{"gauge": {}}', "کلید «gauges» باید شیئی از پاسخ نماگرها باشد"),
        ('{"gauges": []}', "کلید «gauges» باید شیئی از پاسخ نماگرها باشد"),
        ('{"gauges": {"9.9.9": {}}}', "نماگر «۹.۹.۹» در شاخص‌نامهٔ «test-1397» نیست"),
        ('{"gauges": {"2.1.1": {}}}', "نماگر «۲.۱.۱» در شاخص‌نامهٔ «test-1397» نیست"),
        ('{"gauges": {"1.1.1": 5}}', "پاسخ نماگر ۱.۱.۱ باید شیء باشد"),
        ('{"gauges": {"1.1.1": [5]}}', "پاسخ نماگر ۱.۱.۱ باید شیء باشد"),
        ('{"gauges": {"1.1.1": null}}', "پاسخ نماگر ۱.۱.۱ باید شیء باشد"),
    ],
)
def test_a_file_not_shaped_as_the_contract_is_refused(text, fragment):
    # when
    message = refusal(text)

    # then
    assert message.startswith("answers.json: ")
    assert fragment in message


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_refused(constant):
    # when
    message = refusal(f'{{"gauges": {{"1.1.1": {{"score": {constant}}}}}}}')

    # then
    assert message.startswith("answers.json")
    assert f"«{constant}» عدد نیست" in message


@pytest.mark.parametrize(
    "text",
    [
        '{"gauges": {"1.1.1": ' + "[" * 50_000 + "]" * 50_000 + "}}",
        "[" * 100_000,
        '{"gauges": {"1.1.1": {"score": 1' + "0" * 5000 + "}}}",
    ],
)
def test_a_hostile_file_is_refused_with_a_message(text):
    # when
    message = refusal(text)

    # then
    assert message.startswith("answers.json")
    assert "JSON درست نیست" in message


def test_a_missing_answers_file_is_named(tmp_path):
    # given
    path = tmp_path / "nowhere.json"

    # when
    with pytest.raises(AnswersError) as error:
        load_answers(path, CATALOGUE)

    # then
    assert str(error.value) == f"{path}: پرونده پیدا نشد"


def test_an_answers_file_not_in_utf8_is_refused(tmp_path):
    # given
    path = tmp_path / "answers.json"
    path.write_bytes('{"gauges": {"1.1.1": {"reason": "été"}}}'.encode("latin-1"))

    # when
    with pytest.raises(AnswersError) as error:
        load_answers(path, CATALOGUE)

    # then
    assert str(error.value) == f"{path}: پرونده UTF-8 نیست"


def test_an_answers_file_is_read_from_its_path(tmp_path):
    # given
    path = tmp_path / "answers.json"
    path.write_text(
        json.dumps({"gauges": {"1.1.2": {"score": "۴٫۵"}}}, ensure_ascii=False), encoding="utf-8"
    )

    # when
    answers = load_answers(path, CATALOGUE)

    # then
    assert Scorer(CATALOGUE).score(answers).total == Decimal("4.5")


def test_a_problem_inside_one_gauge_only_makes_that_gauge_invalid():
    # given: the file's shape is right; one answer is not
    text = '{"gauges": {"1.1.1": {"score": "ده"}, "1.1.2": {"score": 5}}}'

    # when
    result = Scorer(CATALOGUE).score(parse_answers(text, CATALOGUE))

    # then
    assert [code for code, _message in result.problems] == ["1.1.1"]
    assert result.total == Decimal(5)
