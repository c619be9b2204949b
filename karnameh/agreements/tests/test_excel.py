"""Targets from Excel: every bad row reported with its row and column, nothing saved."""

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from karnameh.agencies.excel import ImportRejected
from karnameh.agreements.excel import HEADER, targets_import, write_template
from karnameh.agreements.models import Agreement, AgreementStatus, Target
from karnameh.agreements.services import agreement_start
from karnameh.audit.models import AuditEvent
from karnameh.common.errors import Forbidden
from karnameh.cycles.models import Participation
from karnameh.cycles.tests.builders import participation

HEADERS = [HEADER["agency"], HEADER["part"], HEADER["gauge"], HEADER["target"]]


def workbook(rows: list[list[object]], headers: list[str] = HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _state() -> list[object]:
    return [
        list(Agreement.objects.order_by("pk").values_list("version", "status")),
        list(Target.objects.order_by("pk").values_list("part", "gauge_code", "value")),
        AuditEvent.objects.count(),
    ]


def test_import_starts_drafts_where_needed_and_sets_the_targets(ready, demo_user):
    # given: AR-EF already has a draft, AR-ED has none
    open_draft = agreement_start(
        actor=demo_user("staff"), participation=participation(ready.cycle, "AR-EF")
    )
    content = workbook(
        [
            ["AR-ED", "عمومی", "1.1.1", 80],
            ["AR-ED", "اختصاصی", "S.1.1", "۹۵٫۵"],
            ["AR-EF", "general", "1.2.1", 40.25],
        ]
    )
    # when
    result = targets_import(
        actor=demo_user("staff"), cycle=ready.cycle, upload=content, filename="x.xlsx"
    )
    # then
    assert (set(result.agencies), result.targets, result.started) == (
        {"AR-ED", "AR-EF"},
        3,
        ("AR-ED",),
    )
    ed = Agreement.objects.get(participation=ready)
    assert ed.status == AgreementStatus.DRAFT
    assert {(t.part, t.gauge_code): t.value for t in ed.targets.all()} == {
        ("general", "1.1.1"): Decimal(80),
        ("specific", "S.1.1"): Decimal("95.5"),
    }
    assert open_draft.targets.get().value == Decimal("40.25")


def test_a_file_with_bad_rows_saves_nothing_and_names_every_row_and_column(ready, demo_user):
    # given
    content = workbook(
        [
            ["AR-ED", "عمومی", "1.1.1", 80],  # good, but not saved
            ["NOPE", "عمومی", "1.1.1", 80],
            ["AR-ED", "سوم", "1.1.1", 80],
            ["AR-ED", "عمومی", "1.1.2", 80],  # not a «*» gauge
            ["AR-ED", "عمومی", "1.1.1", 70],  # twice
            ["AR-EF", "اختصاصی", "S.1.1", 70],  # AR-EF has no specific indicators
            ["AR-TAX", "عمومی", "1.2.1", -3],
            ["AR-TAX", "عمومی", "1.3.1", ""],
            ["EXAMPLE", "عمومی", "1.3.1", 80],
        ]
    )
    before = _state()
    # when
    with pytest.raises(ImportRejected) as rejected:
        targets_import(actor=demo_user("staff"), cycle=ready.cycle, upload=content)
    # then
    found = [(e.row, e.column, e.code) for e in rejected.value.errors]
    assert found == [
        (3, HEADER["agency"], "unknown_agency"),
        (4, HEADER["part"], "unknown_part"),
        (5, HEADER["gauge"], "not_mou_gauge"),
        (6, HEADER["gauge"], "duplicate"),
        (7, HEADER["gauge"], "not_mou_gauge"),
        (8, HEADER["target"], "invalid_target"),
        (9, HEADER["target"], "empty_target"),
        (10, HEADER["agency"], "example_row"),
    ]
    assert _state() == before


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"not a workbook", "not_xlsx"),
        (workbook([["AR-ED", "عمومی", "1.1.1", 80]], headers=["کد", "بخش"]), "missing_header"),
        (workbook([]), "empty_file"),
    ],
)
def test_unreadable_files_are_refused(ready, demo_user, content, code):
    # given
    before = _state()
    # when
    with pytest.raises(ImportRejected) as rejected:
        targets_import(actor=demo_user("staff"), cycle=ready.cycle, upload=content)
    # then
    assert rejected.value.errors[0].code == code
    assert _state() == before


def test_agency_users_cannot_import(ready, demo_user):
    # given
    before = _state()
    # when / then
    with pytest.raises(Forbidden):
        targets_import(
            actor=demo_user("agency"),
            cycle=ready.cycle,
            upload=workbook([["AR-ED", "عمومی", "1.1.1", 80]]),
        )
    assert _state() == before


def test_the_template_has_the_headers_an_example_row_and_the_gauges(ready):
    # when
    content = write_template(ready.cycle, list(Participation.objects.filter(cycle=ready.cycle)))
    # then
    book = load_workbook(io.BytesIO(content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    assert rows[1][0] == "EXAMPLE"
    gauges = [row[2] for row in book.worksheets[1].iter_rows(min_row=2, values_only=True)]
    assert "1.1.1" in gauges and "S.1.1" in gauges
