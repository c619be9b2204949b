"""Exporting a catalogue back to YAML: what is written loads back as the same catalogue."""

from decimal import Decimal
from pathlib import Path

import yaml

from karnameh.scoring import (
    Scorer,
    catalogue_from_data,
    catalogue_to_data,
    dump_catalogue,
    load_catalogue,
    parse_catalogue,
)

from .builders import axis, field, gauge, indicator, one_gauge_data
from .builders import catalogue as catalogue_data

SEED = Path(__file__).resolve().parents[3] / "catalogues" / "provincial-1397-general.yaml"


def test_the_seed_catalogue_survives_export_and_reload():
    # given
    cat = load_catalogue(SEED)

    # when
    again = parse_catalogue(dump_catalogue(cat), name="exported.yaml")

    # then
    assert catalogue_to_data(again) == catalogue_to_data(cat)


def test_a_list_table_with_number_and_text_columns_survives_export():
    # given
    table = {
        "code": "services",
        "title": "خدمات",
        "columns": [
            {"code": "name", "label": "نام", "type": "text"},
            {"code": "days", "label": "روز", "type": "number"},
            {"code": "status", "label": "وضعیت", "type": "choice", "options": ["done", "no"]},
        ],
    }
    the_field = field("mean_days")
    the_field["from"] = {"table": "services", "aggregate": "mean", "column": "days"}
    cat = catalogue_from_data(
        one_gauge_data({"kind": "judgement"}, fields=[the_field], tables=[table])
    )

    # when
    again = parse_catalogue(dump_catalogue(cat), name="exported.yaml")

    # then
    assert catalogue_to_data(again) == catalogue_to_data(cat)
    columns = again.gauge("1.1.1")[1].tables[0].columns
    assert [(c.code, c.type, c.options) for c in columns] == [
        ("name", "text", ()),
        ("days", "number", ()),
        ("status", "choice", ("done", "no")),
    ]


def test_codes_decimals_and_yes_no_options_are_written_so_they_read_back_the_same():
    # given
    cat = catalogue_from_data(
        catalogue_data(
            axis(
                "2",
                indicator(
                    "2.10",
                    gauge(
                        "2.10.1",
                        Decimal("7.5"),
                        {"kind": "choice", "options": {"yes": 1, "no": Decimal("0.1")}},
                    ),
                    gauge("2.10.2", Decimal("0.5")),
                    target=Decimal("0.1"),
                ),
            )
        )
    )

    # when
    text = dump_catalogue(cat)
    written = yaml.safe_load(text)
    again = parse_catalogue(text)

    # then: a YAML 1.1 reader sees the same codes as strings, not 2.1 or true
    the_indicator = written["axes"][0]["indicators"][0]
    assert the_indicator["code"] == "2.10"
    assert list(the_indicator["gauges"][0]["rule"]["options"]) == ["yes", "no"]
    assert again.gauge("2.10.1")[1].max_score == Decimal("7.5")
    assert again.axes[0].indicators[0].target == Decimal("0.1")
    assert Scorer(again).score({"2.10.1": {"choice": "no"}}).total == Decimal("0.75")


def test_export_writes_the_contracts_keys_in_its_order():
    # given
    cat = load_catalogue(Path(__file__).parent / "data" / "contract-catalogue.yaml")

    # when
    written = yaml.safe_load(dump_catalogue(cat))

    # then
    assert list(written)[:8] == [
        "format",
        "code",
        "title",
        "year",
        "level",
        "kind",
        "not_applicable",
        "axes",
    ]
    the_indicator = written["axes"][0]["indicators"][0]
    assert list(the_indicator) == [
        "code",
        "title",
        "unit",
        "target",
        "max_score",
        "assessor",
        "evidence",
        "legal_basis",
        "allow_not_applicable",
        "gauges",
    ]
    assert the_indicator["target"] == "*"


def test_export_is_stable():
    # given
    cat = load_catalogue(Path(__file__).parent / "data" / "contract-catalogue.yaml")
    text = dump_catalogue(cat)

    # when
    again = dump_catalogue(parse_catalogue(text))

    # then
    assert again == text
