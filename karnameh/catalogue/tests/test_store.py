"""Catalogues go into the database and come out again as the same file."""

import pytest

from karnameh.catalogue import store
from karnameh.catalogue.models import Catalogue, ChecklistItem, Gauge, GaugeField
from karnameh.catalogue.store import engine_catalogue, export_yaml, save_new
from karnameh.scoring import CatalogueError, catalogue_to_data, load_catalogue, parse_catalogue

from .builders import RICH, SHIPPED, sized_data

FILES = [pytest.param(RICH, id="rich"), pytest.param(SHIPPED, id="shipped-1397")]


@pytest.mark.parametrize("path", FILES)
def test_a_file_imported_and_exported_gives_the_same_catalogue(db, path):
    # given
    original = load_catalogue(path)
    # when
    saved = save_new(original)
    exported = export_yaml(Catalogue.objects.get(pk=saved.pk))
    # then
    assert catalogue_to_data(parse_catalogue(exported)) == catalogue_to_data(original)


def test_every_part_of_the_rich_file_has_its_row(db):
    # when
    catalogue = save_new(load_catalogue(RICH))
    # then
    gauges = Gauge.objects.filter(indicator__axis__catalogue=catalogue)
    assert gauges.count() == 10
    assert ChecklistItem.objects.filter(gauge__code="2.1.2").count() == 3
    level = GaugeField.objects.get(gauge__code="2.2.1", code="level")
    assert (level.options, level.labels) == ({"high": 1, "low": 0.5}, {"high": "زیاد", "low": "کم"})
    share = GaugeField.objects.get(gauge__code="2.2.1", code="online_share")
    assert share.source == {
        "table": "services",
        "aggregate": "percent",
        "column": "online",
        "equals": "yes",
    }
    assert gauges.get(code="1.2.1").target_agreed is False
    assert gauges.get(code="2.1.2").rule == {"kind": "checklist"}
    assert catalogue.declared_max == 100 and catalogue.not_applicable == "total"


def test_the_compiled_catalogue_is_built_once_per_version(db, django_assert_num_queries):
    # given
    catalogue = save_new(sized_data("cached", axes=2, indicators=2, gauges=3))
    first = engine_catalogue(catalogue)
    # when
    with django_assert_num_queries(0):
        again = engine_catalogue(catalogue)
    catalogue.version += 1
    with django_assert_num_queries(5):
        rebuilt = engine_catalogue(catalogue)
    # then
    assert again is first
    assert rebuilt is not first
    assert catalogue_to_data(rebuilt) == catalogue_to_data(first)


def test_numbers_the_columns_cannot_hold_exactly_are_refused(db):
    # given
    data = sized_data("too-precise", axes=1, indicators=1, gauges=1)
    data["axes"][0]["indicators"][0]["target"] = 0.1234567
    # when
    with pytest.raises(CatalogueError) as refused:
        store.save_new(data)
    # then
    assert "شاخص ۱.۱" in refused.value.problems[0].place
    assert not Catalogue.objects.exists()
