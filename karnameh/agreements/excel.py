"""MoU targets from Excel: one row per agency and gauge, all saved or none.

Staff often collect the agreed numbers of a whole province in one sheet. Every row is checked
first and every problem reported with its row and column; a sheet with any problem changes
nothing. Then, for each agency, its open draft (started if needed) gets the targets through
the same services as the pages. The headers and part words are the file format people type,
so they are Persian literals here, not interface text.
"""

import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from karnameh.accounts.permissions import require
from karnameh.agencies.excel import ImportRejected, RowError, cell_text, open_workbook
from karnameh.common.excel import header_cells, text_cells
from karnameh.common.text import normalize_fa, persian_digits
from karnameh.cycles.models import Cycle, Participation
from karnameh.scoring.model import UNIT_LABELS

from .models import Agreement, AgreementStatus
from .selectors import GENERAL, SPECIFIC, needed_keys, targets_needed
from .services import Key, TargetsRejected, agreement_start, parse_targets, targets_set

MAX_ROWS = 20000
SHEET_TITLE = "اهداف تفاهم‌نامه"
GAUGES_SHEET_TITLE = "نماگرها"
EXAMPLE_CODE = "EXAMPLE"
# (key, header, width)
COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("agency", "کد دستگاه", 16),
    ("part", "بخش", 14),
    ("gauge", "کد نماگر", 14),
    ("target", "هدف کمی", 14),
)
HEADER = {key: header for key, header, _width in COLUMNS}
PART_WORDS = {GENERAL: "عمومی", SPECIFIC: "اختصاصی"}
_PARTS_BY_TEXT = {
    "عمومی": GENERAL,
    "اختصاصی": SPECIFIC,
    GENERAL: GENERAL,
    SPECIFIC: SPECIFIC,
}


@dataclass(frozen=True)
class ImportResult:
    agencies: tuple[str, ...]
    targets: int
    started: tuple[str, ...]

    def summary(self) -> str:
        return _(
            "Import finished. Targets saved: %(targets)s, for %(agencies)s agencies; new "
            "draft versions: %(started)s."
        ) % {
            "targets": persian_digits(self.targets),
            "agencies": persian_digits(len(self.agencies)),
            "started": persian_digits(len(self.started)),
        }


def _file_error(message: str, code: str) -> ImportRejected:
    return ImportRejected([RowError(row=None, column="", message=message, code=code)])


def read_rows(upload: IO[bytes] | bytes, *, filename: str = "") -> list[tuple[int, dict[str, Any]]]:
    """(Excel row number, cells by column key) of every non-blank row under the header."""
    workbook = open_workbook(upload, filename=filename)
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = [cell_text(value) for value in next(rows, None) or ()]
        missing = [h for _key, h, _w in COLUMNS if h not in header]
        if missing:
            raise ImportRejected(
                [
                    RowError(
                        row=1,
                        column=h,
                        message=_("The column «%(header)s» is missing from the first row.")
                        % {"header": h},
                        code="missing_header",
                    )
                    for h in missing
                ]
            )
        positions = {key: header.index(h) for key, h, _w in COLUMNS}
        found: list[tuple[int, dict[str, Any]]] = []
        for number, values in enumerate(rows, start=2):
            cells = {k: values[i] if i < len(values) else None for k, i in positions.items()}
            if all(cell_text(v) == "" for v in cells.values()):
                continue
            if len(found) == MAX_ROWS:
                raise _file_error(
                    _("The file has more than %(limit)s rows; split it into smaller files.")
                    % {"limit": persian_digits(MAX_ROWS)},
                    "too_many_rows",
                )
            found.append((number, cells))
    finally:
        workbook.close()
    if not found:
        raise _file_error(_("The file has no rows under the header row."), "empty_file")
    return found


class _Checker:
    """Checks every row, collecting every problem; keeps the good values per participation."""

    def __init__(self, cycle: Cycle) -> None:
        self.participations = {
            p.agency.code: p
            for p in Participation.objects.filter(cycle=cycle).select_related(
                "cycle", "cycle__general_catalogue", "agency", "specific_catalogue"
            )
        }
        self.needed: dict[int, set[Key]] = {}
        self.errors: list[RowError] = []
        self.values: dict[str, dict[Key, Decimal | str | None]] = {}
        self.seen: dict[tuple[str, Key], int] = {}

    def error(self, row: int, key: str, message: str, code: str) -> None:
        self.errors.append(RowError(row=row, column=HEADER[key], message=message, code=code))

    def check(self, number: int, cells: dict[str, Any]) -> None:
        agency_code = cell_text(cells["agency"], is_code=True)
        part_text = normalize_fa(cell_text(cells["part"])).lower()
        gauge_code = cell_text(cells["gauge"], is_code=True)
        participation = self.participations.get(agency_code)
        if agency_code == EXAMPLE_CODE:
            self.error(number, "agency", _("This is the template's example row."), "example_row")
            return
        if participation is None:
            self.error(
                number,
                "agency",
                _("No agency with the code %(code)s takes part in this cycle.")
                % {"code": agency_code or "—"},
                "unknown_agency",
            )
            return
        part = _PARTS_BY_TEXT.get(part_text)
        if part is None:
            self.error(
                number,
                "part",
                _("The part must be «%(general)s» or «%(specific)s».")
                % {"general": PART_WORDS[GENERAL], "specific": PART_WORDS[SPECIFIC]},
                "unknown_part",
            )
            return
        key = (part, gauge_code)
        if participation.pk not in self.needed:
            self.needed[participation.pk] = set(needed_keys(participation))
        if key not in self.needed[participation.pk]:
            self.error(
                number,
                "gauge",
                _("Gauge %(code)s of the %(part)s part does not take a target agreed in the MoU.")
                % {"code": gauge_code or "—", "part": PART_WORDS[part]},
                "not_mou_gauge",
            )
            return
        earlier = self.seen.get((agency_code, key))
        if earlier is not None:
            self.error(
                number,
                "gauge",
                _("The same agency and gauge are already on row %(row)s.")
                % {"row": persian_digits(earlier)},
                "duplicate",
            )
            return
        self.seen[(agency_code, key)] = number
        raw = cells["target"]
        # Numbers as Excel stores them; text (Persian digits, «٫») as the person typed it.
        value: Decimal | str = (
            str(raw) if isinstance(raw, int | float | Decimal) else cell_text(raw)
        )
        if isinstance(value, str) and not value:
            self.error(number, "target", _("The target is empty."), "empty_target")
            return
        try:
            parse_targets(participation, {key: value})
        except TargetsRejected as rejected:
            self.error(number, "target", rejected.problems[key], "invalid_target")
            return
        self.values.setdefault(agency_code, {})[key] = value


def targets_import(
    *,
    actor: Any,
    cycle: Cycle,
    upload: IO[bytes] | bytes,
    filename: str = "",
    ip: str | None = None,
) -> ImportResult:
    """Set the targets of a sheet; raise ``ImportRejected`` listing every problem."""
    require(actor, "agreement.import", cycle)
    rows = read_rows(upload, filename=filename)
    checker = _Checker(cycle)
    for number, cells in rows:
        checker.check(number, cells)
    if checker.errors:
        raise ImportRejected(sorted(checker.errors, key=lambda e: (e.row or 0, e.column)))
    reason = (
        _("Imported from the Excel file %(file)s.") % {"file": filename}
        if filename
        else _("Imported from Excel.")
    )
    started = []
    with transaction.atomic():
        for code, values in checker.values.items():
            participation = checker.participations[code]
            draft = (
                Agreement.objects.filter(participation=participation, status=AgreementStatus.DRAFT)
                .order_by("-version")
                .first()
            )
            if draft is None:
                draft = agreement_start(
                    actor=actor, participation=participation, reason=reason, ip=ip
                )
                started.append(code)
            targets_set(actor=actor, agreement=draft, targets=values, reason=reason, ip=ip)
    return ImportResult(
        agencies=tuple(checker.values),
        targets=sum(len(v) for v in checker.values.values()),
        started=tuple(started),
    )


def write_template(cycle: Cycle, participations: Sequence[Participation]) -> bytes:
    """The headers and one example row, and a second sheet of the gauges that need targets."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    sheet.sheet_view.rightToLeft = True
    sheet.freeze_panes = "A2"
    for index, (_key, _header, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append(header_cells(sheet, [header for _key, header, _w in COLUMNS]))
    needed: list[tuple[str, str, Any, Any]] = []
    seen: set[tuple[str, str, str]] = set()
    for participation in participations:
        for part, indicator, gauge in targets_needed(participation):
            place = (participation.agency.code if part == SPECIFIC else "", part, gauge.code)
            if place in seen:
                continue
            seen.add(place)
            needed.append((place[0], part, indicator, gauge))
    example_gauge = needed[0][3].code if needed else ""
    sheet.append(text_cells(sheet, [EXAMPLE_CODE, PART_WORDS[GENERAL], example_gauge, 80]))

    gauges = workbook.create_sheet(GAUGES_SHEET_TITLE)
    gauges.sheet_view.rightToLeft = True
    for letter, width in zip("ABCDE", (16, 12, 12, 60, 12), strict=True):
        gauges.column_dimensions[letter].width = width
    gauges.append(
        header_cells(
            gauges, ["کد دستگاه (برای بخش اختصاصی)", "بخش", "کد نماگر", "نماگر", "واحد سنجش"]
        )
    )
    for agency_code, part, indicator, gauge in needed:
        unit = UNIT_LABELS.get(indicator.unit or "", "")
        gauges.append(
            text_cells(
                gauges,
                [agency_code, PART_WORDS[part], gauge.code, gauge.title or indicator.title, unit],
            )
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
