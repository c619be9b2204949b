"""One way to write every export: right-to-left sheets with a title row and a bold header.

A table is a list of ``Column`` and rows of values. Numbers stay numbers (Excel sums and
sorts them), Jalali dates are written as text (Excel has no Jalali calendar and would turn
«۱۴۰۳/۰۲/۱۰» into nonsense), and every text cell stays text (no formula injection:
``common.excel.text_cells``). The first row names the cycle and the day of the export, so a
sheet printed or forwarded still says what it is.
"""

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from karnameh.common.excel import XLSX_CONTENT_TYPE, header_cells, text_cells
from karnameh.common.jalali import format_jalali_date
from karnameh.common.text import persian_digits
from karnameh.scoring.numbers import written

TITLE_FONT = Font(bold=True, size=13)
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
JSON_CONTENT_TYPE = "application/json"
# Characters Excel refuses in a sheet's name, and its length limit.
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_SHEET_NAME_MAX = 31


@dataclass(frozen=True)
class Column:
    header: str
    width: int = 14


@dataclass
class Table:
    """One sheet: its name, columns and rows (values in column order)."""

    name: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]] = field(default_factory=list)


def today() -> dt.date:
    return timezone.localdate()


def jalali_today() -> str:
    """The day of the export in file names: ``1403-05-10`` (ASCII digits travel better)."""
    import jdatetime

    return jdatetime.date.fromgregorian(date=today()).strftime("%Y-%m-%d")


def title_line(title: str) -> str:
    """«<cycle> — exported on ۱۴۰۳/۰۵/۱۰»."""
    return _("%(title)s — exported on %(date)s") % {
        "title": persian_digits(title),
        "date": format_jalali_date(today()),
    }


def sheet_name(name: str, taken: set[str]) -> str:
    """A name Excel accepts, unique in the workbook (peer groups may share a long prefix)."""
    base = _BAD_SHEET_CHARS.sub(" ", name).strip()[:_SHEET_NAME_MAX] or "-"
    found, number = base, 2
    while found.casefold() in taken:
        suffix = f" ({number})"
        found = base[: _SHEET_NAME_MAX - len(suffix)] + suffix
        number += 1
    taken.add(found.casefold())
    return found


def _value(value: Any) -> Any:
    # Scores have two decimals at most: a float writes them exactly as a person reads them.
    if isinstance(value, Decimal):
        return written(value)
    return value


def write_tables(title: str, tables: Sequence[Table]) -> bytes:
    """A workbook of one sheet per table, streamed (write-only: a province fits in memory)."""
    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    heading = title_line(title)
    for table in tables:
        sheet = workbook.create_sheet(sheet_name(table.name, taken))
        sheet.sheet_view.rightToLeft = True
        # Title on row 1, headers on row 2: both stay in sight while scrolling.
        sheet.freeze_panes = "A3"
        for index, column in enumerate(table.columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        cell = WriteOnlyCell(sheet, value=heading)
        cell.font = TITLE_FONT
        cell.data_type = "s"
        sheet.append([cell])
        sheet.append(header_cells(sheet, [c.header for c in table.columns]))
        for row in table.rows:
            sheet.append(text_cells(sheet, [_value(v) for v in row]))
    if not tables:
        workbook.create_sheet("-")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_csv(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 with a byte-order mark: Excel then opens Persian text as Persian, not mojibake."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else _csv_value(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_value(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        # A cell starting like a formula is run by Excel on opening: keep it text.
        return "'" + value
    return _value(value)


def download(content: bytes, *, filename: str, ascii_name: str, content_type: str) -> HttpResponse:
    """A file download named in Persian for browsers that read RFC 6266, in ASCII for others."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    response["Cache-Control"] = "no-store"  # what one person may see, not for shared caches
    return response


def xlsx(content: bytes, *, filename: str, ascii_name: str) -> HttpResponse:
    return download(
        content, filename=filename, ascii_name=ascii_name, content_type=XLSX_CONTENT_TYPE
    )
