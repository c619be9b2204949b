"""What changed from one catalogue to another: added, removed, changed, maxima flagged."""

import copy

from karnameh.scoring import catalogue_from_data, load_catalogue
from karnameh.scoring.diff import ADDED, CHANGED, GAUGE, INDICATOR, REMOVED, diff_catalogues

from .builders import RICH, complaints_data, gauge


def _moved_points():
    """1397 → 1398: 6.4.1 loses a point and its title, 6.4.2 goes, 6.4.3 comes."""
    old = complaints_data("provincial-1397-test", year=1397)
    new = copy.deepcopy(old)
    new.update(code="provincial-1398-test", year=1398)
    gauges = new["axes"][0]["indicators"][0]["gauges"]
    gauges[0]["max_score"] = 6
    gauges[0]["title"] = "درصد پاسخ به شکایات"
    gauges[1] = gauge("6.4.3", 4, method="نظر ارزیاب پس از بازدید")
    return catalogue_from_data(old), catalogue_from_data(new)


def test_an_added_a_removed_and_a_changed_gauge_are_found():
    # given
    old, new = _moved_points()
    # when
    found = diff_catalogues(old, new)
    # then
    assert [(d.level, d.code, d.status) for d in found.items] == [
        (GAUGE, "6.4.1", CHANGED),
        (GAUGE, "6.4.2", REMOVED),
        (GAUGE, "6.4.3", ADDED),
    ]
    changed = found.find(GAUGE, "6.4.1")
    assert [(c.key, c.old, c.new) for c in changed.changes] == [
        ("title", "نماگر ۶.۴.۱", "درصد پاسخ به شکایات"),
        ("max_score", "۷", "۶"),
    ]
    assert changed.max_changed and changed.changes[1].is_max
    assert found.find(GAUGE, "6.4.3").new_max == 4
    assert [d.code for d in found.max_changes] == ["6.4.1"]
    assert {c.key: (c.old, c.new) for c in found.changes} == {"year": ("۱۳۹۷", "۱۳۹۸")}


def test_rules_targets_fields_and_assessors_are_compared():
    # given
    old = complaints_data()
    new = copy.deepcopy(old)
    indicator = new["axes"][0]["indicators"][0]
    indicator["target"] = "*"
    indicator["assessor"] = "welfare"
    first = indicator["gauges"][0]
    first["rule"]["cases"][1]["share"] = 0.4
    first["fields"][0]["label"] = "شمار شکایات"
    # when
    found = diff_catalogues(catalogue_from_data(old), catalogue_from_data(new))
    # then
    by_key = {c.key: c for c in found.find(INDICATOR, "6.4").changes}
    assert (by_key["target"].old, by_key["target"].new) == ("۱۰۰", "تفاهم‌نامه")
    assert (by_key["assessor"].old, by_key["assessor"].new) == ("governorate", "welfare")
    gauge_changes = {c.key: c for c in found.find(GAUGE, "6.4.1").changes}
    assert set(gauge_changes) == {"fields", "rule"}
    assert "۴۰٪" in gauge_changes["rule"].new and "بازه‌ها" in gauge_changes["rule"].new
    assert not found.find(GAUGE, "6.4.1").max_changed


def test_a_catalogue_compared_with_itself_has_no_difference():
    # given
    catalogue = load_catalogue(RICH)
    # when
    found = diff_catalogues(catalogue, catalogue)
    # then
    assert found.is_empty
    assert found.items == () and found.changes == ()


def test_codes_are_ordered_as_numbers_axis_before_its_indicators():
    # given
    old = catalogue_from_data(complaints_data())
    data = complaints_data()
    data["max_score"] = 20
    data["axes"].insert(0, copy.deepcopy(data["axes"][0]))
    data["axes"][0]["code"] = "10"
    first = data["axes"][0]["indicators"][0]
    first["code"] = "10.4"
    for item in first["gauges"]:
        item["code"] = item["code"].replace("6.4", "10.4")
    # when
    found = diff_catalogues(old, catalogue_from_data(data))
    # then
    assert [d.code for d in found.items] == ["10", "10.4", "10.4.1", "10.4.2"]
    assert found.new_max - found.old_max == 10
