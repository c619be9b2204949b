"""The Excel export: right to left, Persian headers, a row per gauge and per field."""

import io
from decimal import Decimal

from openpyxl import load_workbook

from karnameh.accounts.models import User
from karnameh.catalogue.services import catalogue_import

from .builders import client_for


def test_the_workbook_has_a_row_per_gauge_and_per_field(demo, rich_text):
    # given
    catalogue_import(actor=User.objects.get(username="admin"), text=rich_text, province=None)
    # when
    response = client_for("evaluator").get("/catalogues/national-1402-rich/export.xlsx")
    # then
    assert response.status_code == 200
    assert "national-1402-rich.xlsx" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    gauges, fields = workbook["نماگرها"], workbook["فیلدها"]
    assert gauges.sheet_view.rightToLeft and fields.sheet_view.rightToLeft
    rows = list(gauges.iter_rows(values_only=True))
    assert rows[0][:6] == ("محور", "کد شاخص", "عنوان شاخص", "کد نماگر", "عنوان نماگر", "سقف امتیاز")
    assert [row[3] for row in rows[1:]] == [
        "1.1.1",
        "1.1.2",
        "1.1.3",
        "1.2.1",
        "1.2.2",
        "2.1.1",
        "2.1.2",
        "2.1.3",
        "2.2.1",
        "2.2.2",
    ]
    by_code = {row[3]: row for row in rows[1:]}
    assert by_code["1.2.1"][7] == "تفاهم‌نامه"
    assert by_code["1.1.2"][7] == 5 and by_code["1.1.2"][5] == 10
    assert by_code["1.1.1"][11] == "اداره کل امور اقتصادی و دارایی (حسابداری تعهدی و سامانهٔ سادا)"
    assert by_code["2.1.2"][9] == "چک‌لیست"
    field_rows = list(fields.iter_rows(values_only=True))[1:]
    assert len(field_rows) == 14
    assert field_rows[1][0:3:2] == ("1.1.2", "days_taken")
    assert Decimal(str(field_rows[1][6])) == 365
