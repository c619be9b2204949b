"""What every workbook Karnameh writes has in common: headers, safe text cells, the download.

The registry, catalogues and (later) results are all read in Excel by staff; they look and
behave alike because they are written with these helpers.
"""

from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE7F3")


def header_cells(sheet: Any, headers: Iterable[str]) -> list[Cell]:
    """A bold, shaded header row for a write-only sheet."""
    cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cells.append(cell)
    return cells


def text_cells(sheet: Any, values: Iterable[Any]) -> list[Cell]:
    """A row for a write-only sheet in which text always stays text."""
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            # A name typed as «=HYPERLINK(…)» must stay text: openpyxl would store it as a
            # formula, which Excel runs when the file is opened (spreadsheet injection).
            cell.data_type = "s"
        cells.append(cell)
    return cells


def xlsx_response(content: bytes, *, filename: str, ascii_name: str) -> HttpResponse:
    """A workbook download; ``filename`` may be Persian, ``ascii_name`` is for old clients."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    # RFC 6266: a plain ASCII name for old clients, then the real (Persian) name in UTF-8.
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    response["Cache-Control"] = "no-store"  # what one person may see, not for shared caches
    return response
