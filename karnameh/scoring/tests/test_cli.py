"""``karnameh score`` as anyone runs it: the console script, files in, JSON out, exit codes.

The runs themselves are made by cli_runs (started early, together). The command only passes
the loaders' errors on (exit 2, stderr): every message itself is tested without a process in
test_loader and test_answers, so only one run per kind of failure is made here.
"""

import json

import pytest

from . import cli_runs


@pytest.fixture(scope="module")
def runs() -> dict[str, cli_runs.Run]:
    return cli_runs.results()


def without_explanations(data: dict) -> dict:
    for axis in data["axes"]:
        for indicator in axis["indicators"]:
            for gauge in indicator["gauges"]:
                gauge.pop("explanation")
    return data


def test_scoring_a_contract_catalogue_prints_the_expected_document(runs):
    # when
    run = runs["full"]

    # then
    assert run.code == 0
    assert run.stderr == ""
    data = json.loads(run.stdout)
    assert without_explanations(data) == {
        "catalogue": "provincial-1397-sample",
        "total": 75.0,
        "max": 100,
        "axes": [
            {
                "code": "1",
                "score": 45.0,
                "max": 60,
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
                        "score": 5.0,
                        "max": 10,
                        "status": "scored",
                        "gauges": [{"code": "1.2.1", "score": 5.0, "max": 10, "status": "scored"}],
                    },
                ],
            },
            {
                "code": "2",
                "score": 30.0,
                "max": 40,
                "status": "scored",
                "indicators": [
                    {
                        "code": "2.1",
                        "score": 20.0,
                        "max": 30,
                        "status": "scored",
                        "gauges": [
                            {"code": "2.1.1", "score": 15.0, "max": 20, "status": "scored"},
                            {"code": "2.1.2", "score": 5.0, "max": 10, "status": "scored"},
                        ],
                    },
                    {
                        "code": "2.2",
                        "score": 10.0,
                        "max": 10,
                        "status": "scored",
                        "gauges": [{"code": "2.2.1", "score": 10.0, "max": 10, "status": "scored"}],
                    },
                ],
            },
        ],
        "problems": [],
    }


def test_every_gauge_of_the_printed_document_is_explained(runs):
    # when
    run = runs["full"]

    # then
    gauges = {
        g["code"]: g["explanation"]
        for a in json.loads(run.stdout)["axes"]
        for i in a["indicators"]
        for g in i["gauges"]
    }
    assert "۸۰" in gauges["1.1.1"] and "۱۰۰" in gauges["1.1.1"] and "۲۸" in gauges["1.1.1"]
    assert "«ناقص»" in gauges["1.2.1"]
    assert "۵۹٫۵" in gauges["2.1.2"]
    assert "۷۰" in gauges["2.2.1"] and "۶۵" in gauges["2.2.1"]


def test_missing_invalid_and_not_applicable_gauges_still_exit_0(runs):
    # when
    run = runs["partial"]

    # then: 1.1.1 has no agreed target and 2.1.1 an unknown item; 1.2.1 is unanswered;
    # axis 2 earns 5 of its 30 applicable points (2.1.2 N/A), rescaled to 40 → 6.67
    assert run.code == 0
    data = json.loads(run.stdout)
    assert data["total"] == 18.67
    assert [(a["code"], a["score"], a["status"]) for a in data["axes"]] == [
        ("1", 12.0, "scored"),
        ("2", 6.67, "scored"),
    ]
    statuses = {
        g["code"]: (g["score"], g["status"])
        for a in data["axes"]
        for i in a["indicators"]
        for g in i["gauges"]
    }
    assert statuses == {
        "1.1.1": (0.0, "invalid"),
        "1.1.2": (12.0, "scored"),
        "1.2.1": (0.0, "missing"),
        "2.1.1": (0.0, "invalid"),
        "2.1.2": (0.0, "not_applicable"),
        "2.2.1": (5.0, "scored"),
    }
    assert [i["status"] for a in data["axes"] for i in a["indicators"]] == [
        "scored",
        "missing",
        "scored",
        "scored",
    ]
    assert [p["gauge"] for p in data["problems"]] == ["1.1.1", "2.1.1"]
    assert "«z»" in data["problems"][1]["message"]


@pytest.mark.parametrize(
    ("name", "file", "fragments"),
    [
        ("catalogue yaml error", "catalogue", ["سطر ۳۷", "YAML درست نیست"]),
        (
            "catalogue sums wrong",
            "catalogue",
            ["شاخص ۱.۱: جمع سقف نماگرها (۵۱) با سقف ۵۰ برابر نیست", "سطر ۱۵"],
        ),
        ("answers missing", "answers", ["پرونده پیدا نشد"]),
        ("answers not json", "answers", ["سطر ۲", "JSON درست نیست"]),
        (
            "answers unknown gauge",
            "answers",
            ["نماگر «۳.۱.۱» در شاخص‌نامهٔ «provincial-1397-sample» نیست"],
        ),
    ],
)
def test_a_bad_file_exits_2_with_a_persian_message_naming_it_and_nothing_on_stdout(
    runs, name, file, fragments
):
    # when
    run = runs[name]

    # then
    assert run.code == 2
    assert run.stdout == ""
    named = run.catalogue if file == "catalogue" else run.answers
    assert run.stderr.startswith(str(named))
    for fragment in fragments:
        assert fragment in run.stderr
    assert "Traceback" not in run.stderr
