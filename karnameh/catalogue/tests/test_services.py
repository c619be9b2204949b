"""Import, copy, freeze, delete and gauge edits: checked, audited, all or nothing."""

from decimal import Decimal

import pytest

from karnameh.agencies.models import Province
from karnameh.audit.models import AuditEvent
from karnameh.catalogue.models import Catalogue, Gauge, Status
from karnameh.catalogue.services import (
    CatalogueRejected,
    catalogue_copy,
    catalogue_delete,
    catalogue_freeze,
    catalogue_import,
    gauge_update,
)
from karnameh.catalogue.store import engine_catalogue, export_yaml, save_new
from karnameh.common.errors import DomainError, Forbidden
from karnameh.scoring import catalogue_to_data, load_catalogue
from karnameh.scoring.dump import gauge_to_data

from .builders import RICH, complaints_data, make


def _state() -> list[object]:
    """Everything a refused change must leave as it was."""
    catalogues = list(
        Catalogue.objects.order_by("code").values_list("code", "status", "version", "title")
    )
    gauges = list(
        Gauge.objects.order_by("pk").values_list("code", "title", "max_score", "rule", "method")
    )
    return [*catalogues, *gauges, AuditEvent.objects.count()]


def _gauge(catalogue: Catalogue, code: str) -> Gauge:
    return Gauge.objects.get(indicator__axis__catalogue=catalogue, code=code)


def _edit(catalogue: Catalogue, code: str, **changes) -> dict:
    """The gauge's data as the file writes it, with some keys changed."""
    found = engine_catalogue(Catalogue.objects.get(pk=catalogue.pk)).gauge(code)
    data = gauge_to_data(found[1])
    data.pop("code")
    return {**data, **changes}


def test_staff_import_a_catalogue_into_their_province_and_it_is_audited(demo, demo_user, rich_text):
    # when
    catalogue = catalogue_import(
        actor=demo_user("staff"),
        text=rich_text,
        province=Province.objects.get(code="ardabil"),
        reason="ابلاغ سازمان",
    )
    # then
    assert (catalogue.code, catalogue.status, catalogue.province.code) == (
        "national-1402-rich",
        Status.DRAFT,
        "ardabil",
    )
    event = AuditEvent.objects.get(action="catalogue.import")
    assert event.target_id == str(catalogue.pk)
    assert event.reason == "ابلاغ سازمان"


def test_an_import_with_problems_lists_every_one_with_its_line_and_saves_nothing(
    demo, demo_user, rich_text
):
    # given: a gauge's maximum that breaks its indicator's sum, and a misspelt key
    text = rich_text.replace("max_score: 5\n", "max_score: 6\n", 1).replace(
        '    method: "هرچه کمتر بهتر"', '    methd: "هرچه کمتر بهتر"'
    )
    before = _state()
    # when
    with pytest.raises(CatalogueRejected) as refused:
        catalogue_import(
            actor=demo_user("staff"), text=text, province=Province.objects.get(code="ardabil")
        )
    # then
    problems = refused.value.problems
    messages = [problem.message for problem in problems]
    assert any("methd" in message for message in messages)
    assert any("جمع سقف نماگرها" in message for message in messages)
    assert all(problem.line for problem in problems)
    assert "هیچ چیز ذخیره نشد" in refused.value.message
    assert _state() == before


def test_an_agency_user_may_not_import_and_nothing_is_saved(demo, demo_user, rich_text):
    # given
    before = _state()
    # when
    with pytest.raises(Forbidden):
        catalogue_import(actor=demo_user("agency"), text=rich_text, province=None)
    # then
    assert _state() == before


def test_staff_may_not_import_into_another_province_or_as_shared(demo, demo_user, rich_text):
    # given
    before = _state()
    # when / then
    for province in (Province.objects.get(code="ilam"), None):
        with pytest.raises(Forbidden):
            catalogue_import(actor=demo_user("staff"), text=rich_text, province=province)
    assert _state() == before


def test_a_copy_is_an_equal_draft_under_a_new_code_and_year(demo, demo_user):
    # given: every part of the format, frozen (a copy is how a frozen catalogue moves on)
    source = save_new(load_catalogue(RICH), status=Status.FROZEN)
    # when
    copy = catalogue_copy(
        actor=demo_user("staff"),
        source=source,
        code="provincial-1398-ardabil",
        year=1398,
        title="شاخص‌های ۱۳۹۸ اردبیل",
        province=Province.objects.get(code="ardabil"),
    )
    # then
    assert (copy.status, copy.year, copy.copied_from, copy.province.code) == (
        Status.DRAFT,
        1398,
        source,
        "ardabil",
    )
    old = catalogue_to_data(engine_catalogue(source))
    new = catalogue_to_data(engine_catalogue(copy))
    assert (new["code"], new["year"], new["title"], new["level"]) == (
        "provincial-1398-ardabil",
        1398,
        "شاخص‌های ۱۳۹۸ اردبیل",
        "national",
    )
    assert new["axes"] == old["axes"]
    assert AuditEvent.objects.filter(action="catalogue.copy", target_id=str(copy.pk)).exists()


def test_a_copy_may_not_take_a_code_in_use(demo, demo_user):
    # given
    source = make(complaints_data("provincial-1397-test", year=1397))
    before = _state()
    # when
    with pytest.raises(DomainError) as refused:
        catalogue_copy(
            actor=demo_user("admin"),
            source=source,
            code="provincial-1397-test",
            year=1398,
            title="تکراری",
            province=None,
        )
    # then
    assert "provincial-1397-test" in refused.value.message
    assert _state() == before


def test_freezing_is_audited_with_its_reason(demo, demo_user):
    # given
    catalogue = make(complaints_data(), province="ardabil")
    # when
    catalogue_freeze(actor=demo_user("staff"), catalogue=catalogue, reason="دوره ۱۳۹۸")
    # then
    catalogue.refresh_from_db()
    assert catalogue.status == Status.FROZEN and catalogue.frozen_at is not None
    event = AuditEvent.objects.get(action="catalogue.freeze")
    assert (event.changes, event.reason) == ({"status": ["draft", "frozen"]}, "دوره ۱۳۹۸")


@pytest.mark.parametrize("change", ["gauge_update", "replace", "delete", "freeze"])
def test_a_frozen_catalogue_refuses_every_change_and_nothing_changes(demo, demo_user, change):
    # given
    catalogue = make(complaints_data(), province="ardabil", frozen=True)
    staff = demo_user("staff")
    before = _state()
    # when
    with pytest.raises(DomainError) as refused:
        if change == "gauge_update":
            gauge_update(
                actor=staff,
                gauge=_gauge(catalogue, "6.4.2"),
                data=_edit(catalogue, "6.4.2", title="عنوان تازه"),
                reason="اصلاح",
            )
        elif change == "replace":
            catalogue_import(
                actor=staff, text=export_yaml(catalogue), province=None, replace=catalogue
            )
        elif change == "delete":
            catalogue_delete(actor=staff, catalogue=catalogue)
        else:
            catalogue_freeze(actor=staff, catalogue=catalogue, reason="دوباره")
    # then
    assert "منجمد" in refused.value.message
    assert refused.value.code == "frozen"
    assert _state() == before


def test_staff_may_not_change_a_shared_or_another_provinces_catalogue(demo, demo_user):
    # given
    shared = make(complaints_data("shared-1398"))
    ilam = make(complaints_data("ilam-1398"), province="ilam")
    before = _state()
    # when / then
    for catalogue in (shared, ilam):
        with pytest.raises(Forbidden):
            gauge_update(
                actor=demo_user("staff"),
                gauge=_gauge(catalogue, "6.4.2"),
                data=_edit(catalogue, "6.4.2", title="دستکاری"),
            )
        with pytest.raises(Forbidden):
            catalogue_freeze(actor=demo_user("staff"), catalogue=catalogue)
    assert _state() == before


def test_a_gauge_edit_that_breaks_the_sums_is_refused_with_the_engines_message(demo, demo_user):
    # given
    catalogue = make(complaints_data(), province="ardabil")
    before = _state()
    # when
    with pytest.raises(CatalogueRejected) as refused:
        gauge_update(
            actor=demo_user("staff"),
            gauge=_gauge(catalogue, "6.4.2"),
            data=_edit(catalogue, "6.4.2", max_score=4),
            reason="سقف تازه",
        )
    # then
    [problem] = refused.value.problems
    assert problem.place == "شاخص ۶.۴"
    assert problem.message == "جمع سقف نماگرها (۱۱) با سقف ۱۰ برابر نیست"
    assert _state() == before


def test_a_gauge_edit_whose_rule_names_a_missing_field_is_refused(demo, demo_user):
    # given
    catalogue = make(complaints_data(), province="ardabil")
    rule = {"kind": "cases", "value": "handled / complaints * 100", "cases": [{"share": 1}]}
    before = _state()
    # when
    with pytest.raises(CatalogueRejected) as refused:
        gauge_update(
            actor=demo_user("staff"),
            gauge=_gauge(catalogue, "6.4.1"),
            data=_edit(catalogue, "6.4.1", rule=rule),
        )
    # then
    assert "complaints" in refused.value.problems[0].message
    assert _state() == before


def test_a_valid_gauge_edit_is_saved_audited_with_its_reason_and_rescored(demo, demo_user):
    # given
    catalogue = make(complaints_data(), province="ardabil")
    rule = {
        "kind": "cases",
        "value": "handled / received * 100 if received > 0 else 100",
        "cases": [{"when": "value >= 50", "share": 1}, {"share": 0}],
    }
    # when
    gauge_update(
        actor=demo_user("staff"),
        gauge=_gauge(catalogue, "6.4.1"),
        data=_edit(catalogue, "6.4.1", title="پاسخ به شکایات", rule=rule),
        reason="مصوبهٔ شورا",
    )
    # then
    catalogue.refresh_from_db()
    assert catalogue.version == 2
    _indicator, found = engine_catalogue(catalogue).gauge("6.4.1") or (None, None)
    assert found.title == "پاسخ به شکایات"
    assert found.rule.to_data()["cases"][0]["when"] == "value >= 50"
    event = AuditEvent.objects.get(action="catalogue.gauge_update")
    assert event.reason == "مصوبهٔ شورا"
    assert event.changes["title"] == ["نماگر 6.4.1", "پاسخ به شکایات"]
    assert "rule" in event.changes
    assert _gauge(catalogue, "6.4.1").fields.count() == 2


def test_moving_points_between_two_gauges_is_possible_one_file_at_a_time(demo, demo_user):
    # given: maxima move by replacing the draft's content, checked as a whole
    catalogue = make(complaints_data(), province="ardabil")
    text = (
        export_yaml(catalogue)
        .replace("max_score: 7", "max_score: 6")
        .replace("max_score: 3", "max_score: 4")
    )
    # when
    catalogue_import(
        actor=demo_user("staff"), text=text, province=None, replace=catalogue, reason="جابه‌جایی"
    )
    # then
    catalogue.refresh_from_db()
    assert _gauge(catalogue, "6.4.1").max_score == Decimal(6)
    event = AuditEvent.objects.get(action="catalogue.replace")
    assert event.changes["changed"] == [None, ["6.4.1", "6.4.2"]]


def test_a_draft_may_be_deleted_by_its_manager(demo, demo_user):
    # given
    catalogue = make(complaints_data(), province="ardabil")
    # when
    catalogue_delete(actor=demo_user("staff"), catalogue=catalogue, reason="اشتباه")
    # then
    assert not Catalogue.objects.filter(code="provincial-1398-test").exists()
    assert not Gauge.objects.filter(indicator__axis__catalogue_id=catalogue.pk).exists()
    assert AuditEvent.objects.get(action="catalogue.delete").reason == "اشتباه"
