"""The output document of the contract: its keys, its numbers and its explanations."""

import json
import re
from decimal import Decimal

import pytest

from karnameh.scoring import Scorer, result_to_data, result_to_json
from karnameh.scoring.numbers import fa

from .builders import axis, field, gauge, indicator, load, one_gauge, score_one

COMPLAINTS = {
    "kind": "cases",
    "value": "handled / received * 100 if received > 0 else 100",
    "cases": [
        {"when": "value >= 60", "share": 1},
        {"when": "value >= 30", "share": Decimal("0.5")},
        {"share": 0},
    ],
}


def contract_catalogue():
    """The contract's example: 1.1.1 (35 of indicator 1.1's 50, target agreed), max 1000."""
    return load(
        axis(
            "1",
            indicator(
                "1.1",
                gauge("1.1.1", 35, {"kind": "target"}, fields=[field("actual")]),
                gauge("1.1.2", 15),
                target="*",
            ),
            indicator("1.2", gauge("1.2.1", 75)),
        ),
        axis(
            "2",
            indicator(
                "2.1",
                gauge(
                    "2.1.1",
                    7,
                    COMPLAINTS,
                    fields=[field("received", "integer"), field("handled", "integer")],
                ),
                gauge("2.1.2", 868),
            ),
        ),
        code="provincial-1397-general",
        max_score=1000,
    )


CONTRACT_ANSWERS = {
    "1.1.1": {"fields": {"actual": 80}, "target": 100},
    "1.1.2": {"score": 12},
    "1.2.1": {"score": 60},
    "2.1.1": {"fields": {"received": 200, "handled": 119}},
    "2.1.2": {"score": 709},
}


def without_explanations(data):
    for axis_data in data["axes"]:
        for indicator_data in axis_data["indicators"]:
            for gauge_data in indicator_data["gauges"]:
                gauge_data.pop("explanation")
    return data


def test_the_document_has_the_contracts_keys_in_its_order():
    # when
    data = result_to_data(Scorer(contract_catalogue()).score({"1.1.2": {"score": 99}}))

    # then
    assert list(data) == ["catalogue", "total", "max", "axes", "problems"]
    assert list(data["axes"][0]) == ["code", "score", "max", "status", "indicators"]
    indicator_data = data["axes"][0]["indicators"][0]
    assert list(indicator_data) == ["code", "score", "max", "status", "gauges"]
    assert list(indicator_data["gauges"][0]) == ["code", "score", "max", "status", "explanation"]
    assert list(data["problems"][0]) == ["gauge", "message"]


def test_the_contracts_example_document():
    # when
    data = result_to_data(Scorer(contract_catalogue()).score(CONTRACT_ANSWERS))

    # then
    assert without_explanations(data) == {
        "catalogue": "provincial-1397-general",
        "total": 812.5,
        "max": 1000,
        "axes": [
            {
                "code": "1",
                "score": 100.0,
                "max": 125,
                "status": "scored",
                "indicators": [
                    {
                        "code": "1.1",
                        "score": 40.0,
                        "max": 50,
                        "status": "scored",
                        "gauges": [
                            {"code": "1.1.1", "score": 28.0, "max": 35, "status": "scored"},
                            {"code": "1.1.2", "score": 12.0, "max": 15, "status": "scored"},
                        ],
                    },
                    {
                        "code": "1.2",
                        "score": 60.0,
                        "max": 75,
                        "status": "scored",
                        "gauges": [{"code": "1.2.1", "score": 60.0, "max": 75, "status": "scored"}],
                    },
                ],
            },
            {
                "code": "2",
                "score": 712.5,
                "max": 875,
                "status": "scored",
                "indicators": [
                    {
                        "code": "2.1",
                        "score": 712.5,
                        "max": 875,
                        "status": "scored",
                        "gauges": [
                            {"code": "2.1.1", "score": 3.5, "max": 7, "status": "scored"},
                            {"code": "2.1.2", "score": 709.0, "max": 868, "status": "scored"},
                        ],
                    }
                ],
            },
        ],
        "problems": [],
    }


def test_the_contracts_worked_example_explains_80_of_100_times_35_is_28():
    # when
    result = Scorer(contract_catalogue()).score(CONTRACT_ANSWERS)

    # then
    explanation = result.gauge("1.1.1").explanation
    assert result.gauge("1.1.1").score == Decimal(28)
    for shown in ("۸۰", "۱۰۰", "۳۵", "۲۸"):
        assert shown in explanation
    assert explanation.endswith("= ۲۸")


def test_json_text_writes_scores_as_numbers_with_at_most_two_decimals():
    # when
    text = result_to_json(Scorer(contract_catalogue()).score(CONTRACT_ANSWERS))

    # then
    assert '"total": 812.5' in text
    assert '"score": 28.0' in text
    assert '"score": 3.5' in text
    assert '"max": 35,' in text
    assert '"max": 1000,' in text
    assert "\\u06" not in text  # Persian is written as itself, not as escapes


def test_a_fractional_max_is_written_as_it_is():
    # given
    cat = one_gauge({"kind": "judgement"}, max_score=Decimal("7.5"))

    # when
    data = result_to_data(Scorer(cat).score({"1.1.1": {"score": Decimal("2.25")}}))

    # then
    assert data["max"] == 7.5
    assert data["axes"][0]["indicators"][0]["gauges"][0] == {
        "code": "1.1.1",
        "score": 2.25,
        "max": 7.5,
        "status": "scored",
        "explanation": "امتیاز ارزیاب: ۲٫۲۵ از ۷٫۵",
    }


def test_a_rescaled_total_has_at_most_two_decimals_in_json():
    # given: 1 of 3 applicable points rescaled to 10 is 3.333…
    cat = load(
        axis(
            "1",
            indicator("1.1", gauge("1.1.1", 3), gauge("1.1.2", 7, allow_not_applicable=True)),
        )
    )

    # when
    data = result_to_data(
        Scorer(cat).score({"1.1.1": {"score": 1}, "1.1.2": {"not_applicable": True}})
    )

    # then
    assert data["total"] == 3.33
    assert data["axes"][0]["score"] == 3.33
    assert json.dumps(data["total"]) == "3.33"


def test_problems_carry_the_gauge_code_and_the_message():
    # when
    data = result_to_data(Scorer(contract_catalogue()).score({"1.1.1": {"fields": {"actual": 80}}}))

    # then
    assert data["problems"] == [
        {"gauge": "1.1.1", "message": "هدف این نماگر در تفاهم‌نامه تعیین می‌شود و داده نشده است"}
    ]


CHECKLIST = {
    "kind": "checklist",
    "items": [
        {"code": "a", "title": "الف", "points": 4},
        {"code": "b", "title": "ب", "points": 6},
    ],
}


@pytest.mark.parametrize(
    ("rule", "fields", "answer", "inputs"),
    [
        ({"kind": "target"}, [field("actual")], {"fields": {"actual": 45}}, ["۴۵", "۶۰"]),
        (
            {"kind": "target", "direction": "lower"},
            [field("actual")],
            {"fields": {"actual": 75}},
            ["۷۵", "۶۰"],
        ),
        (
            COMPLAINTS,
            [field("received", "integer"), field("handled", "integer")],
            {"fields": {"received": 40, "handled": 13}},
            ["۴۰", "۱۳", "۳۲٫۵"],
        ),
        (
            {"kind": "choice", "options": {"partial": Decimal("0.45"), "complete": 1}},
            None,
            {"choice": "partial"},
            ["ناقص"],
        ),
        (CHECKLIST, None, {"checked": ["b"]}, ["b"]),
        ({"kind": "judgement"}, None, {"score": Decimal("6.5")}, ["۶٫۵"]),
        (
            {"kind": "formula", "share": "done / planned"},
            [field("done"), field("planned")],
            {"fields": {"done": 7, "planned": 9}},
            ["done=۷", "planned=۹"],
        ),
    ],
)
def test_every_explanation_shows_the_inputs_and_the_score_in_persian_digits(
    rule, fields, answer, inputs
):
    # given
    cat = one_gauge(rule, max_score=10, fields=fields, target=60)

    # when
    result = score_one(cat, answer)

    # then
    assert result.status == "scored"
    assert fa(result.score) in result.explanation
    for shown in inputs:
        assert shown in result.explanation
    # Figures are in Persian digits; only quoted rule text («value >= 30») keeps its own.
    unquoted = re.sub(r"«[^»]*»", "", result.explanation)
    assert not re.search(r"[0-9]", unquoted)


def test_a_convergence_explanation_shows_both_totals_and_the_gap():
    # given
    cat = load(
        axis(
            "1",
            indicator("1.1", gauge("1.1.1", 90)),
            indicator(
                "1.2",
                gauge(
                    "1.2.1",
                    10,
                    {"kind": "convergence", "cases": [{"when": "gap <= 5", "share": 1}]},
                ),
            ),
        )
    )

    # when
    result = Scorer(cat).score({"1.1.1": {"score": 70}, "1.2.1": {"self_total": 73}})

    # then
    explanation = result.gauge("1.2.1").explanation
    assert result.gauge("1.2.1").score == Decimal(10)
    for shown in ("۷۳", "۷۰", "۱۰۰", "۳٪", "= ۱۰"):
        assert shown in explanation
