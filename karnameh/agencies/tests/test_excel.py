"""Excel import and export of the agency registry."""

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from karnameh.accounts.models import Role
from karnameh.agencies.excel import EXAMPLE_CODE, HEADERS, MAX_FILE_BYTES, write_agencies
from karnameh.agencies.importing import ImportRejected, agencies_import
from karnameh.agencies.models import Agency, AgencyKind
from karnameh.audit.models import AuditEvent
from karnameh.common.errors import Forbidden
from karnameh.common.factories import (
    AgencyTypeFactory,
    HeadquartersFactory,
    ProvinceFactory,
    user_with_role,
)
from karnameh.common.text import persian_digits as fa

NEW_UNIT = {
    "کد": "AR-NEW",
    "نام": "ادارهٔ کل نوسازی استان اردبیل",
    "نوع": "واحد استانی",
    "کد دستگاه بالادست": "ED",
    "کد استان": "ardabil",
    "شهرستان": None,
    "کد نوع دستگاه": "social",
    "واحد شهرستانی دارد (بله/خیر)": "خیر",
    "فعال (بله/خیر)": "بله",
}


def sheet(*rows: dict[str, Any], headers: tuple[str, ...] = HEADERS) -> bytes:
    """A real .xlsx in memory: the header row, then one row per dict (header -> value)."""
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.append(list(headers))
    for row in rows:
        worksheet.append([row.get(header) for header in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def unit(**changes: Any) -> dict[str, Any]:
    return {**NEW_UNIT, **changes}


def registry_state() -> tuple[int, int, str, str]:
    """What a refused import must leave exactly as it was."""
    ar_ed = Agency.objects.get(code="AR-ED")
    return Agency.objects.count(), AuditEvent.objects.count(), ar_ed.name, ar_ed.parent.code


def rejected(actor: Any, content: bytes, filename: str = "agencies.xlsx") -> list[Any]:
    with pytest.raises(ImportRejected) as caught:
        agencies_import(actor=actor, file=io.BytesIO(content), filename=filename)
    return caught.value.errors


def export_of(user: Any) -> bytes:
    from karnameh.agencies.selectors import search_agencies

    return write_agencies(search_agencies(user=user))


# Export -----------------------------------------------------------------------------------


def test_export_then_import_changes_nothing(demo, demo_user):
    # given
    admin = demo_user("admin")
    before = registry_state()
    content = export_of(admin)
    # when
    result = agencies_import(actor=admin, file=io.BytesIO(content), filename="agencies.xlsx")
    # then
    assert result.created == () and result.updated == ()
    assert len(result.unchanged) == Agency.objects.count()
    assert registry_state() == before


def test_staff_export_then_import_changes_nothing(demo, demo_user):
    # given
    staff = demo_user("staff")
    before = registry_state()
    # when
    result = agencies_import(actor=staff, file=export_of(staff))
    # then
    assert len(result.unchanged) == Agency.objects.filter(province__code="ardabil").count()
    assert registry_state() == before


def test_export_of_staff_holds_their_province_only_in_a_right_to_left_sheet(
    demo, demo_user, client
):
    # given
    client.force_login(demo_user("staff"))
    # when
    response = client.get("/agencies/export.xlsx")
    # then
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert 'filename="agencies-' in response["Content-Disposition"]
    worksheet = load_workbook(io.BytesIO(response.content)).active
    assert worksheet.sheet_view.rightToLeft is True
    assert worksheet.freeze_panes == "A2"
    assert [cell.value for cell in worksheet[1]] == list(HEADERS)
    assert worksheet["A1"].font.bold is True
    rows = list(worksheet.iter_rows(min_row=2, values_only=True))
    assert {row[4] for row in rows} == {"ardabil"}
    assert {row[0] for row in rows} == set(
        Agency.objects.filter(province__code="ardabil").values_list("code", flat=True)
    )
    assert "IL-ED" not in {row[0] for row in rows}


def test_export_follows_the_search(demo, demo_user, client):
    # given
    client.force_login(demo_user("admin"))
    # when
    response = client.get("/agencies/export.xlsx", {"q": "AR-ED"})
    # then
    codes = {
        row[0]
        for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(
            min_row=2, values_only=True
        )
    }
    assert codes == set(
        Agency.objects.filter(code__contains="AR-ED").values_list("code", flat=True)
    )


def test_export_is_refused_to_a_user_without_the_right(demo, demo_user, client):
    # given
    client.force_login(demo_user("evaluator"))
    # when
    response = client.get("/agencies/export.xlsx")
    # then
    assert response.status_code == 403


def test_a_name_that_looks_like_a_formula_is_exported_as_text(db):
    # given
    HeadquartersFactory(code="F1", name='=HYPERLINK("http://example.com")')
    # when
    content = write_agencies(Agency.objects.all())
    # then
    cell = load_workbook(io.BytesIO(content)).active["B2"]
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("http://example.com")'


# Import that succeeds ---------------------------------------------------------------------


def test_import_creates_and_updates_with_one_audit_event_each(demo, demo_user):
    # given
    admin = demo_user("admin")
    events = AuditEvent.objects.count()
    ar_ed = Agency.objects.get(code="AR-ED")
    changed = {
        "کد": "AR-ED",
        "نام": "ادارهٔ کل آموزش و پرورش استان اردبیل (نو)",
        "نوع": "واحد استانی",
        "کد دستگاه بالادست": "ED",
        "کد استان": "ardabil",
        "کد نوع دستگاه": "social",
        "واحد شهرستانی دارد (بله/خیر)": "بله",
        "فعال (بله/خیر)": "بله",
    }
    # when
    result = agencies_import(
        actor=admin, file=sheet(unit(), changed), filename="x.xlsx", ip="10.0.0.9"
    )
    # then
    assert result.created == ("AR-NEW",)
    assert result.updated == ("AR-ED",)
    created = Agency.objects.get(code="AR-NEW")
    assert created.parent.code == "ED" and created.province.code == "ardabil"
    assert created.headquarters.code == "ED"
    ar_ed.refresh_from_db()
    assert ar_ed.name.endswith("(نو)")
    new_events = list(AuditEvent.objects.order_by("id")[events:])
    assert [e.action for e in new_events] == ["agency.create", "agency.update"]
    assert new_events[0].changes["code"] == [None, "AR-NEW"]
    assert set(new_events[1].changes) == {"name"}
    assert new_events[1].ip == "10.0.0.9"
    assert "x.xlsx" in new_events[1].reason
    assert fa(1) in result.summary()


def test_a_parent_may_come_later_in_the_same_file(demo, demo_user):
    # given
    county = unit(
        **{
            "کد": "AR-NEW-01",
            "نام": "ادارهٔ نوسازی شهرستان نمین",
            "نوع": "county_unit",
            "کد دستگاه بالادست": "AR-NEW",
            "شهرستان": "نمین",
        }
    )
    provincial = unit(**{"کد دستگاه بالادست": "ED-NEW", "واحد شهرستانی دارد (بله/خیر)": "بله"})
    affiliated = unit(
        **{
            "کد": "ED-NEW",
            "نام": "سازمان نوسازی مدارس",
            "نوع": "سازمان وابسته",
            "کد استان": None,
        }
    )
    # when
    result = agencies_import(actor=demo_user("admin"), file=sheet(county, provincial, affiliated))
    # then
    assert set(result.created) == {"AR-NEW-01", "AR-NEW", "ED-NEW"}
    county_unit = Agency.objects.get(code="AR-NEW-01")
    assert county_unit.parent.parent.code == "ED-NEW"
    assert county_unit.headquarters.code == "ED"


def test_moving_an_agency_moves_its_units_to_the_new_headquarters(demo, demo_user):
    # given: AR-ED and its county units belong to ED; the file puts AR-ED under HE
    row = {
        "کد": "AR-ED",
        "نام": Agency.objects.get(code="AR-ED").name,
        "نوع": "واحد استانی",
        "کد دستگاه بالادست": "HE",
        "کد استان": "ardabil",
        "کد نوع دستگاه": "social",
        "واحد شهرستانی دارد (بله/خیر)": "بله",
        "فعال (بله/خیر)": "بله",
    }
    # when
    result = agencies_import(actor=demo_user("admin"), file=sheet(row))
    # then
    assert result.updated == ("AR-ED",)
    hq_codes = set(
        Agency.objects.filter(parent__code="AR-ED").values_list("headquarters__code", flat=True)
    )
    assert hq_codes == {"HE"}


def test_cells_are_normalised_numbers_become_codes_and_kind_codes_are_accepted(db):
    # given
    admin = user_with_role(Role.ADMIN)
    AgencyTypeFactory(code="7", name="گروه هفت")
    rows = [
        {
            "کد": 12.0,
            "نام": "وزارت  كشاورزي",
            "نوع": "headquarters",
            "کد نوع دستگاه": 7,
            "واحد شهرستانی دارد (بله/خیر)": "خير",
            "فعال (بله/خیر)": True,
        },
        {
            "کد": "۱۳",
            "نام": "وزارت دیگر",
            "نوع": "ستاد",
            "کد نوع دستگاه": "۷",
            "واحد شهرستانی دارد (بله/خیر)": False,
            "فعال (بله/خیر)": "بله",
        },
    ]
    # when
    result = agencies_import(actor=admin, file=sheet(*rows))
    # then
    assert result.created == ("12", "13")
    first = Agency.objects.get(code="12")
    assert first.name == "وزارت کشاورزی"
    assert first.agency_type.code == "7"
    assert first.kind == AgencyKind.HEADQUARTERS and first.is_active is True


def test_rows_can_be_given_without_a_file(db):
    # given
    admin = user_with_role(Role.ADMIN)
    AgencyTypeFactory(code="gov")
    # when
    result = agencies_import(
        actor=admin,
        rows=[
            {
                "code": "HQX",
                "name": "وزارت نمونه",
                "kind": "headquarters",
                "agency_type": "gov",
                "has_county_units": "خیر",
                "is_active": "بله",
            }
        ],
    )
    # then
    assert result.created == ("HQX",)


# Import that is refused: every problem reported, nothing saved -----------------------------


def _row_with(**changes: Any) -> dict[str, Any]:
    return unit(**changes)


BAD_ROWS = [
    pytest.param({"نوع": "وزارتخانه"}, "نوع", "unknown_kind", "وزارتخانه", id="wrong kind"),
    pytest.param({"فعال (بله/خیر)": "شاید"}, "فعال (بله/خیر)", "yes_no", "شاید", id="wrong yes/no"),
    pytest.param(
        {"کد دستگاه بالادست": "NOPE"},
        "کد دستگاه بالادست",
        "unknown_parent",
        "NOPE",
        id="unknown parent",
    ),
    pytest.param({"کد استان": "tehran"}, "کد استان", "unknown_province", "tehran", id="province"),
    pytest.param({"کد نوع دستگاه": "zzz"}, "کد نوع دستگاه", "unknown_type", "zzz", id="type"),
    pytest.param({"نام": None}, "نام", "required", "نام", id="missing name"),
    pytest.param({"کد": "X" * 41}, "کد", "too_long", "X" * 41, id="code too long"),
    pytest.param({"کد": EXAMPLE_CODE}, "کد", "example_row", EXAMPLE_CODE, id="template example"),
    pytest.param(
        {"نوع": "واحد شهرستانی", "کد دستگاه بالادست": "AR-ED"},
        "",
        "structure",
        "",
        id="county unit without county",
    ),
    pytest.param(
        {"کد دستگاه بالادست": "AR-ED-01"},
        "",
        "structure",
        "AR-ED-01",
        id="provincial unit under a county unit",
    ),
]


@pytest.mark.parametrize(("change", "column", "code", "value"), BAD_ROWS)
def test_a_wrong_row_is_reported_by_row_and_column_and_nothing_is_saved(
    demo, demo_user, change, column, code, value
):
    # given: a good row that would rename AR-ED, then the wrong row (Excel's row 3)
    good = {
        "کد": "AR-ED",
        "نام": "نام تازه",
        "نوع": "واحد استانی",
        "کد دستگاه بالادست": "ED",
        "کد استان": "ardabil",
        "کد نوع دستگاه": "social",
        "واحد شهرستانی دارد (بله/خیر)": "بله",
        "فعال (بله/خیر)": "بله",
    }
    before = registry_state()
    # when
    errors = rejected(demo_user("admin"), sheet(good, _row_with(**change)))
    # then
    assert [(e.row, e.column, e.code) for e in errors] == [(3, column, code)]
    assert value in errors[0].message
    assert registry_state() == before


def test_a_repeated_code_names_both_rows_and_nothing_is_saved(demo, demo_user):
    # given
    before = registry_state()
    # when
    errors = rejected(demo_user("admin"), sheet(unit(), unit(**{"نام": "دیگری"})))
    # then
    assert [(e.row, e.column, e.code) for e in errors] == [(3, "کد", "duplicate_code")]
    assert "AR-NEW" in errors[0].message and "۲، ۳" in errors[0].message
    assert registry_state() == before


def test_every_wrong_row_is_reported_at_once(demo, demo_user):
    # given
    rows = [
        unit(**{"کد": "A1", "نوع": "?"}),
        unit(**{"کد": "A2"}),
        unit(**{"کد": "A3", "کد استان": "tehran", "فعال (بله/خیر)": "x"}),
    ]
    # when
    errors = rejected(demo_user("admin"), sheet(*rows))
    # then
    assert [(e.row, e.code) for e in errors] == [
        (2, "unknown_kind"),
        (4, "unknown_province"),
        (4, "yes_no"),
    ]
    assert not Agency.objects.filter(code="A2").exists()


def test_a_change_that_breaks_the_units_under_an_agency_is_refused(demo, demo_user):
    # given: AR-ED has county units in Ardabil; the file moves AR-ED to Ilam
    row = {
        "کد": "AR-ED",
        "نام": "ادارهٔ کل",
        "نوع": "واحد استانی",
        "کد دستگاه بالادست": "ED",
        "کد استان": "ilam",
        "کد نوع دستگاه": "social",
        "واحد شهرستانی دارد (بله/خیر)": "بله",
        "فعال (بله/خیر)": "بله",
    }
    before = registry_state()
    # when
    errors = rejected(demo_user("admin"), sheet(row))
    # then
    assert {e.code for e in errors} == {"breaks_child"}
    assert all(e.row == 2 for e in errors)
    assert any(fa("AR-ED-01") in e.message for e in errors)
    assert registry_state() == before


def test_a_missing_header_is_named(demo, demo_user):
    # given
    headers = tuple(h for h in HEADERS if h != "کد استان")
    before = registry_state()
    # when
    errors = rejected(demo_user("admin"), sheet(unit(), headers=headers))
    # then
    assert [(e.row, e.column, e.code) for e in errors] == [(1, "کد استان", "missing_header")]
    assert "کد استان" in errors[0].message
    assert registry_state() == before


def test_columns_may_come_in_any_order_with_extra_notes(demo, demo_user):
    # given
    headers = ("یادداشت", *reversed(HEADERS))
    # when
    result = agencies_import(actor=demo_user("admin"), file=sheet(unit(), headers=headers))
    # then
    assert result.created == ("AR-NEW",)


@pytest.mark.parametrize(
    ("content", "filename", "code"),
    [
        pytest.param(b"code,name\nX,Y\n", "agencies.csv", "not_xlsx", id="csv"),
        pytest.param(b"\xd0\xcf\x11\xe0 old excel", "agencies.xlsx", "not_xlsx", id="xls renamed"),
        pytest.param(b"PK\x05\x06" + b"\0" * 18, "agencies.xlsx", "not_xlsx", id="empty zip"),
        pytest.param(b"", "agencies.xlsx", "empty_file", id="zero bytes"),
        pytest.param(sheet(), "agencies.xlsx", "empty_file", id="header only"),
        pytest.param(sheet(headers=()), "agencies.xlsx", "empty_file", id="blank sheet"),
        pytest.param(b"x" * (MAX_FILE_BYTES + 1), "agencies.xlsx", "file_too_large", id="big"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_a_clear_message(
    demo, demo_user, content, filename, code
):
    # given
    before = registry_state()
    # when
    errors = rejected(demo_user("admin"), content, filename)
    # then
    assert [(e.row, e.code) for e in errors] == [(None, code)]
    assert errors[0].message
    assert registry_state() == before


def test_staff_may_not_import_a_unit_of_another_province(demo, demo_user):
    # given: one row of their own province, one of Ilam
    own = unit()
    other = unit(**{"کد": "IL-NEW", "کد استان": "ilam"})
    before = registry_state()
    # when
    errors = rejected(demo_user("staff"), sheet(own, other))
    # then
    assert [(e.row, e.column, e.code) for e in errors] == [(3, "کد استان", "out_of_scope")]
    assert "ilam" in errors[0].message
    assert registry_state() == before


def test_staff_may_not_import_headquarters_or_change_another_provinces_agency(demo, demo_user):
    # given
    hq = unit(**{"کد": "NEW-HQ", "نوع": "ستاد", "کد دستگاه بالادست": None, "کد استان": None})
    ilam = unit(**{"کد": "IL-ED", "کد استان": "ardabil"})  # would pull Ilam's unit into Ardabil
    before = registry_state()
    # when
    errors = rejected(demo_user("staff"), sheet(hq, ilam))
    # then
    assert [(e.row, e.code) for e in errors] == [(2, "out_of_scope"), (3, "out_of_scope")]
    assert "IL-ED" in errors[1].message
    assert Agency.objects.get(code="IL-ED").province.code == "ilam"
    assert registry_state() == before


def test_a_user_without_the_import_right_is_refused(demo, demo_user, client):
    # given
    user = demo_user("agency")
    client.force_login(user)
    before = registry_state()
    upload = SimpleUploadedFile("agencies.xlsx", sheet(unit()))
    # when
    page = client.get("/agencies/import/")
    response = client.post("/agencies/import/", {"file": upload})
    # then
    assert page.status_code == 403
    assert response.status_code == 403
    with pytest.raises(Forbidden):
        agencies_import(actor=user, file=sheet(unit()))
    assert registry_state() == before


# Pages ------------------------------------------------------------------------------------


def test_the_import_page_has_a_labelled_file_input_and_the_template_link(demo, demo_user, client):
    # given
    client.force_login(demo_user("staff"))
    # when
    page = client.get("/agencies/import/").content.decode()
    # then
    assert '<label class="form-label" for="id_file">' in page
    assert 'type="file"' in page
    assert 'href="/agencies/import/template.xlsx"' in page


def test_posting_a_bad_file_shows_the_error_table_and_saves_nothing(demo, demo_user, client):
    # given
    client.force_login(demo_user("staff"))
    before = registry_state()
    upload = SimpleUploadedFile("agencies.xlsx", sheet(unit(**{"نوع": "وزارتخانه"})))
    # when
    response = client.post("/agencies/import/", {"file": upload})
    # then
    page = response.content.decode()
    assert response.status_code in (200, 400)
    assert 'data-testid="import-errors"' in page
    assert "<caption>" in page
    assert 'data-code="unknown_kind"' in page
    assert "<td>۲</td>" in page
    assert "وزارتخانه" in page
    assert registry_state() == before


def test_posting_a_good_file_imports_it_and_goes_back_to_the_list(demo, demo_user, client):
    # given
    client.force_login(demo_user("staff"))
    upload = SimpleUploadedFile("agencies.xlsx", sheet(unit()))
    # when
    response = client.post("/agencies/import/", {"file": upload}, follow=True)
    # then
    assert response.redirect_chain[-1][0] == "/agencies/"
    assert Agency.objects.filter(code="AR-NEW", province__code="ardabil").exists()
    assert AuditEvent.objects.filter(action="agency.create", target_repr=NEW_UNIT["نام"]).exists()


def test_the_template_lists_the_headers_and_its_example_row_is_never_imported(
    demo, demo_user, client
):
    # given
    staff = demo_user("staff")
    client.force_login(staff)
    before = registry_state()
    # when
    response = client.get("/agencies/import/template.xlsx")
    # then
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    worksheet = workbook.active
    assert worksheet.sheet_view.rightToLeft is True
    assert [cell.value for cell in worksheet[1]] == list(HEADERS)
    assert worksheet["A2"].value == EXAMPLE_CODE
    assert worksheet["E2"].value == "ardabil"
    codes_sheet = workbook.worksheets[1]
    assert "ilam" not in {row[0] for row in codes_sheet.iter_rows(values_only=True)}
    errors = rejected(staff, response.content)
    assert [e.code for e in errors] == ["example_row"]
    assert registry_state() == before


def test_the_template_with_the_example_replaced_imports(db):
    # given
    province = ProvinceFactory(code="qom")
    staff = user_with_role(Role.STAFF, province=province)
    HeadquartersFactory(code="AAA")
    row = unit(
        **{
            "کد دستگاه بالادست": "AAA",
            "کد استان": "qom",
            "کد نوع دستگاه": Agency.objects.get(code="AAA").agency_type.code,
        }
    )
    # when
    result = agencies_import(actor=staff, file=sheet(row))
    # then
    assert result.created == ("AR-NEW",)
