"""A catalogue as an Excel workbook: a sheet of gauges and a sheet of the figures they ask for.

For people who review a catalogue in Excel (the council, the agencies). The headers are the
sheet's layout, Persian literals as in the registry's workbook. The registry's styling and
cell helpers are reused, so both workbooks look and behave alike (right to left, text cells
that Excel never runs as formulas).
"""

import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter

from karnameh.common.excel import header_cells, text_cells, xlsx_response
from karnameh.scoring import Catalogue
from karnameh.scoring.model import (
    FIELD_TYPE_LABELS,
    STAR,
    UNIT_LABELS,
    Target,
    effective_assessor,
    effective_target,
)
from karnameh.scoring.rules import KIND_LABELS

from .display import AGGREGATE_LABELS

GAUGES_SHEET = "نماگرها"
FIELDS_SHEET = "فیلدها"
MOU = "تفاهم‌نامه"

GAUGE_COLUMNS: tuple[tuple[str, int], ...] = (
    ("محور", 28),
    ("کد شاخص", 10),
    ("عنوان شاخص", 40),
    ("کد نماگر", 10),
    ("عنوان نماگر", 50),
    ("سقف امتیاز", 10),
    ("واحد سنجش", 10),
    ("هدف کمی", 12),
    ("نحوه سنجش", 50),
    ("نوع قاعده", 14),
    ("قاعده", 60),
    ("مرجع ارزیابی", 30),
    ("مستندات", 40),
    ("مستندات شاخص", 40),
)
FIELD_COLUMNS: tuple[tuple[str, int], ...] = (
    ("کد نماگر", 10),
    ("عنوان نماگر", 40),
    ("کد فیلد", 20),
    ("برچسب", 45),
    ("نوع", 12),
    ("حداقل", 10),
    ("حداکثر", 10),
    ("گزینه‌ها", 30),
    ("از جدول", 30),
    ("راهنما", 40),
)


def _target(value: Target) -> Any:
    # Numbers stay numbers in Excel, so a reviewer can sort and sum them.
    return MOU if value == STAR else value


def _prepare(sheet: Any, columns: Sequence[tuple[str, int]]) -> None:
    sheet.sheet_view.rightToLeft = True
    sheet.freeze_panes = "A2"
    for index, (_header, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _headers(sheet: Any, columns: Iterable[tuple[str, int]]) -> list[Cell]:
    return header_cells(sheet, [header for header, _width in columns])


def write_catalogue(catalogue: Catalogue, assessors: dict[str, str]) -> bytes:
    workbook = Workbook(write_only=True)
    gauges = workbook.create_sheet(GAUGES_SHEET)
    _prepare(gauges, GAUGE_COLUMNS)
    gauges.append(_headers(gauges, GAUGE_COLUMNS))
    fields = workbook.create_sheet(FIELDS_SHEET)
    _prepare(fields, FIELD_COLUMNS)
    fields.append(_headers(fields, FIELD_COLUMNS))
    for axis in catalogue.axes:
        for indicator in axis.indicators:
            for gauge in indicator.gauges:
                assessor = effective_assessor(indicator, gauge)
                kind = gauge.rule.kind
                row = [
                    f"{axis.code}. {axis.title}",
                    indicator.code,
                    indicator.title,
                    gauge.code,
                    gauge.title,
                    gauge.max_score,
                    UNIT_LABELS.get(indicator.unit or "", indicator.unit or ""),
                    _target(effective_target(indicator, gauge)),
                    gauge.method,
                    KIND_LABELS.get(kind, kind),
                    "\n".join(gauge.rule.describe()),
                    assessors.get(assessor, assessor) if assessor else "",
                    gauge.evidence or indicator.evidence,
                    indicator.legal_basis,
                ]
                gauges.append(text_cells(gauges, row))
                for field in gauge.fields:
                    options = "، ".join(
                        f"{field.option_label(code)}: {value}"
                        for code, value in (field.options or {}).items()
                    )
                    source = field.source
                    fields.append(
                        text_cells(
                            fields,
                            [
                                gauge.code,
                                gauge.title,
                                field.code,
                                field.label,
                                str(FIELD_TYPE_LABELS.get(field.type, field.type)),
                                field.minimum,
                                field.maximum,
                                options,
                                (
                                    f"{AGGREGATE_LABELS.get(source.function, source.function)} "
                                    f"{source.column or ''} ({source.table})"
                                )
                                if source
                                else "",
                                field.help,
                            ],
                        )
                    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def catalogue_response(catalogue: Catalogue, assessors: dict[str, str]) -> HttpResponse:
    return xlsx_response(
        write_catalogue(catalogue, assessors),
        filename=f"{catalogue.code}.xlsx",
        ascii_name=f"{catalogue.code}.xlsx",
    )
