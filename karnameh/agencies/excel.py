"""The registry as an Excel sheet: one layout for reading uploads and writing exports.

The column headers and the kind and yes/no words are the file format that people type and
read in Excel, so they are Persian literals here, not interface text for gettext.
"""

import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from karnameh.common.errors import DomainError
from karnameh.common.excel import HEADER_FONT, header_cells, text_cells
from karnameh.common.text import normalize_fa, normalize_input, persian_digits

from .models import Agency, AgencyKind, AgencyType, Province

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
# A 5 MB .xlsx can unpack to gigabytes (a "zip bomb"); honest registry files unpack to a few
# tens of megabytes at most, so anything beyond this is refused before openpyxl parses it.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024

SHEET_TITLE = "دستگاه‌ها"
CODES_SHEET_TITLE = "کدها"
YES, NO = "بله", "خیر"
# The template's example row carries this code; importing it unchanged is refused, so that a
# template uploaded without editing never registers a fictitious agency.
EXAMPLE_CODE = "EXAMPLE"

# What the kind column shows on export (first label of each kind) and accepts on import.
KIND_LABELS: dict[str, tuple[str, ...]] = {
    AgencyKind.HEADQUARTERS: ("ستاد", "ستاد ملی"),
    AgencyKind.AFFILIATED: ("سازمان وابسته",),
    AgencyKind.PROVINCIAL_UNIT: ("واحد استانی",),
    AgencyKind.COUNTY_UNIT: ("واحد شهرستانی",),
}
_KIND_BY_TEXT: dict[str, str] = {
    **{normalize_fa(label): kind for kind, labels in KIND_LABELS.items() for label in labels},
    **{str(kind): str(kind) for kind in AgencyKind},
}
_YES_NO: dict[str, bool] = {
    YES: True,
    NO: False,
    "آری": True,
    "بلی": True,
    "yes": True,
    "no": False,
    "true": True,
    "false": False,
    "1": True,
    "0": False,
}


@dataclass(frozen=True)
class Column:
    key: str  # the agency field (foreign keys by code) the column holds
    header: str
    width: int
    required: bool = True
    is_code: bool = False  # codes get ASCII digits; names keep digits as typed
    max_length: int | None = None


COLUMNS: tuple[Column, ...] = (
    Column("code", "کد", 16, is_code=True, max_length=40),
    Column("name", "نام", 55, max_length=250),
    Column("kind", "نوع", 18),
    Column("parent", "کد دستگاه بالادست", 20, required=False, is_code=True),
    Column("province", "کد استان", 14, required=False, is_code=True),
    Column("county", "شهرستان", 20, required=False, max_length=100),
    Column("agency_type", "کد نوع دستگاه", 16, is_code=True),
    Column("has_county_units", "واحد شهرستانی دارد (بله/خیر)", 16),
    Column("is_active", "فعال (بله/خیر)", 12),
)
COLUMN_BY_KEY: dict[str, Column] = {column.key: column for column in COLUMNS}
HEADERS: tuple[str, ...] = tuple(column.header for column in COLUMNS)


@dataclass(frozen=True)
class RowError:
    """One problem found in an uploaded sheet, located the way Excel shows it."""

    row: int | None  # the row number Excel shows; None when the whole file is wrong
    column: str  # the column's header, or "" when the problem is the row or the file
    message: str  # for the person: Persian once the catalogue is compiled
    code: str  # stable name of the problem, for tests and the API


class ImportRejected(DomainError):
    """The upload was refused as a whole; ``errors`` lists every problem found."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        self.errors = list(errors)
        super().__init__(
            _(
                "Nothing was imported. Problems found in the file: %(count)s. "
                "Correct them and upload the file again."
            )
            % {"count": persian_digits(len(self.errors))},
            code="import_rejected",
        )


@dataclass(frozen=True)
class SheetRow:
    number: int  # as Excel shows it: the header is row 1
    cells: dict[str, Any] = field(default_factory=dict)  # column key -> raw cell value


def _file_error(message: str, code: str) -> ImportRejected:
    return ImportRejected([RowError(row=None, column="", message=message, code=code)])


def cell_text(value: Any, *, is_code: bool = False) -> str:
    """What a cell says, as the text a person meant.

    Excel stores a typed «12» as the number 12.0; a code must come back as "12", not "12.0".
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)
    text = str(value) if not isinstance(value, float) else repr(value)
    return normalize_input(text) if is_code else normalize_fa(text)


def parse_kind(text: str) -> str | None:
    """The kind named by a label («واحد استانی») or a code name (provincial_unit)."""
    text = normalize_fa(text)
    return _KIND_BY_TEXT.get(text) or _KIND_BY_TEXT.get(text.lower())


def parse_yes_no(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    return _YES_NO.get(cell_text(value, is_code=True).lower())


def kind_label(kind: str) -> str:
    return KIND_LABELS[kind][0]


def _read_bytes(upload: IO[bytes] | bytes) -> bytes:
    if isinstance(upload, bytes):
        data = upload
    else:
        if hasattr(upload, "seek"):
            upload.seek(0)
        # Read one byte past the limit: enough to know it is too big without reading it all.
        data = upload.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise _file_error(
            _("The file is larger than %(limit)s MB; split it into smaller files.")
            % {"limit": persian_digits(MAX_FILE_BYTES // (1024 * 1024))},
            "file_too_large",
        )
    if not data:
        raise _file_error(_("The file is empty."), "empty_file")
    return data


def _not_xlsx() -> ImportRejected:
    return _file_error(
        _(
            "The file is not an Excel workbook (.xlsx). In Excel choose “Save as”, "
            "pick “Excel Workbook (.xlsx)” and upload that file."
        ),
        "not_xlsx",
    )


def open_workbook(upload: IO[bytes] | bytes, *, filename: str = "") -> Any:
    """An uploaded workbook opened read-only, or ``ImportRejected`` saying how to fix it.

    Every Excel import reads its untrusted file through here: size limits before and after
    unpacking (a "zip bomb"), and one remedy for whatever openpyxl cannot read. The caller
    closes the workbook.
    """
    if filename and not filename.lower().endswith((".xlsx", ".xlsm")):
        raise _not_xlsx()
    data = _read_bytes(upload)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        # .xls, .csv, a PDF renamed to .xlsx: none of them is a zip archive.
        raise _not_xlsx() from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise _file_error(_("The file is too large once unpacked."), "file_too_large")
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        # Whatever openpyxl trips over in an untrusted file (a zip that is not a workbook, a
        # damaged part), the person's remedy is the same: save it again as .xlsx.
        raise _not_xlsx() from None


def read_sheet(upload: IO[bytes] | bytes, *, filename: str = "") -> list[SheetRow]:
    """The data rows of an uploaded workbook, keyed by column; refuses unreadable files.

    Columns are found by their header, so their order does not matter and extra columns
    (notes people add) are ignored. Blank rows are skipped.
    """
    workbook = open_workbook(upload, filename=filename)
    try:
        return _rows_of(workbook)
    finally:
        workbook.close()


def _rows_of(workbook: Any) -> list[SheetRow]:
    sheet = workbook.active
    if not hasattr(sheet, "iter_rows"):  # the active sheet is a chart
        sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None or all(cell_text(value) == "" for value in header):
        raise _file_error(
            _("The file is empty: the first row must hold the column headers."), "empty_file"
        )
    positions = _header_positions(header)
    found: list[SheetRow] = []
    # read_only sheets yield every row, blank ones included, so enumerate matches Excel's rows.
    for number, values in enumerate(rows, start=2):
        cells = {
            key: values[index] if index < len(values) else None for key, index in positions.items()
        }
        if all(cell_text(value) == "" for value in cells.values()):
            continue
        if len(found) == MAX_ROWS:
            raise _file_error(
                _("The file has more than %(limit)s agency rows; split it into smaller files.")
                % {"limit": persian_digits(MAX_ROWS)},
                "too_many_rows",
            )
        found.append(SheetRow(number=number, cells=cells))
    if not found:
        raise _file_error(_("The file has no agency rows under the header row."), "empty_file")
    return found


def _header_positions(header: Sequence[Any]) -> dict[str, int]:
    by_text: dict[str, int] = {}
    errors: list[RowError] = []
    for index, value in enumerate(header):
        text = cell_text(value)
        if not text:
            continue
        if text in by_text:
            errors.append(
                RowError(
                    row=1,
                    column=text,
                    message=_("The column «%(header)s» appears twice in the first row.")
                    % {"header": text},
                    code="duplicate_header",
                )
            )
        by_text.setdefault(text, index)
    for column in COLUMNS:
        if normalize_fa(column.header) not in by_text:
            errors.append(
                RowError(
                    row=1,
                    column=column.header,
                    message=_("The column «%(header)s» is missing from the first row.")
                    % {"header": column.header},
                    code="missing_header",
                )
            )
    if errors:
        raise ImportRejected(errors)
    return {column.key: by_text[normalize_fa(column.header)] for column in COLUMNS}


# Writing ---------------------------------------------------------------------------------


def agency_cells(agency: Agency) -> list[Any]:
    """One agency as a sheet row, in COLUMNS order; foreign keys by code."""
    values = {
        "code": agency.code,
        "name": agency.name,
        "kind": kind_label(agency.kind),
        "parent": agency.parent.code if agency.parent_id else "",  # type: ignore[union-attr]
        "province": agency.province.code if agency.province_id else "",  # type: ignore[union-attr]
        "county": agency.county,
        "agency_type": agency.agency_type.code,
        "has_county_units": YES if agency.has_county_units else NO,
        "is_active": YES if agency.is_active else NO,
    }
    return [values[column.key] for column in COLUMNS]


def _prepare_sheet(sheet: Any, *, rows: int) -> None:
    """Right to left, frozen header, widths and drop-down lists; before any row is written."""
    sheet.sheet_view.rightToLeft = True
    sheet.freeze_panes = "A2"
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    last = max(rows + 1, 200)
    kinds = ",".join(kind_label(kind) for kind in AgencyKind)
    for key, choices in (
        ("kind", kinds),
        ("has_county_units", f"{YES},{NO}"),
        ("is_active", f"{YES},{NO}"),
    ):
        letter = get_column_letter(list(COLUMN_BY_KEY).index(key) + 1)
        validation = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
        validation.add(f"{letter}2:{letter}{last}")
        sheet.data_validations.append(validation)


def write_agencies(agencies: Iterable[Agency], *, count: int = 0) -> bytes:
    """The export: one sheet of agencies, streamed so a country's registry fits in memory."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    _prepare_sheet(sheet, rows=count)
    sheet.append(header_cells(sheet, HEADERS))
    for agency in agencies:
        sheet.append(text_cells(sheet, agency_cells(agency)))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_template(
    *, provinces: Sequence[Province], agency_types: Sequence[AgencyType], example: dict[str, Any]
) -> bytes:
    """An empty sheet with the headers and one example row, and a sheet of the valid codes."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    _prepare_sheet(sheet, rows=1)
    sheet.append(header_cells(sheet, HEADERS))
    sheet.append(text_cells(sheet, [example.get(column.key, "") for column in COLUMNS]))

    codes = workbook.create_sheet(CODES_SHEET_TITLE)
    codes.sheet_view.rightToLeft = True
    for letter, width in zip("ABCDEF", (14, 30, 4, 16, 30, 4), strict=True):
        codes.column_dimensions[letter].width = width
    bold = [
        WriteOnlyCell(codes, value=text)
        for text in ("کد استان", "استان", "", "کد نوع دستگاه", "نوع دستگاه", "")
    ]
    for cell in bold:
        cell.font = HEADER_FONT
    codes.append(bold)
    for index in range(max(len(provinces), len(agency_types))):
        province = provinces[index] if index < len(provinces) else None
        agency_type = agency_types[index] if index < len(agency_types) else None
        codes.append(
            text_cells(
                codes,
                [
                    province.code if province else None,
                    province.name if province else None,
                    None,
                    agency_type.code if agency_type else None,
                    agency_type.name if agency_type else None,
                ],
            )
        )
    codes.append([])
    kinds_header = WriteOnlyCell(codes, value="نوع (یکی از این‌ها)")
    kinds_header.font = HEADER_FONT
    codes.append([kinds_header])
    for kind in AgencyKind:
        codes.append(text_cells(codes, [kind_label(kind), str(kind)]))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
