"""Importing the registry from Excel: every row checked first, then all saved or none.

A row creates the agency with its code or updates the one that has it. People fix a whole
sheet at once, so every problem in every row is collected and reported together, and a file
with any problem changes nothing: a half-imported registry would be worse than none.
"""

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from karnameh.accounts.permissions import may, require
from karnameh.audit.services import diff, record
from karnameh.common.text import persian_digits

from .excel import (
    COLUMN_BY_KEY,
    COLUMNS,
    EXAMPLE_CODE,
    MAX_ROWS,
    NO,
    YES,
    Column,
    ImportRejected,
    RowError,
    SheetRow,
    cell_text,
    kind_label,
    parse_kind,
    parse_yes_no,
    read_sheet,
)
from .models import PROVINCIAL_KINDS, Agency, AgencyKind, AgencyType, Province

# Reused, not copied: the registry's own rules for the tree and for what is audited.
from .services import check_structure, refresh_headquarters, snapshot

__all__ = ["ImportRejected", "ImportResult", "RowError", "agencies_import"]


@dataclass(frozen=True)
class ImportResult:
    created: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()

    def summary(self) -> str:
        return _(
            "Import finished. Registered: %(created)s, updated: %(updated)s, "
            "unchanged: %(unchanged)s."
        ) % {
            "created": persian_digits(len(self.created)),
            "updated": persian_digits(len(self.updated)),
            "unchanged": persian_digits(len(self.unchanged)),
        }


@dataclass
class _Item:
    """One row on its way into the registry."""

    number: int
    text: dict[str, str]  # column key -> the cell as text
    agency: Agency
    before: dict[str, Any] | None  # the audited state before the import; None if new
    kind: str | None = None
    parent: Agency | None = None
    valid: bool = True  # False once a cell is wrong: tree checks would only add noise
    refused: bool = False  # already reported as outside the actor's scope


def agencies_import(
    *,
    actor: Any,
    rows: Iterable[SheetRow | Mapping[str, Any]] | None = None,
    file: IO[bytes] | bytes | None = None,
    filename: str = "",
    ip: str | None = None,
) -> ImportResult:
    """Create or update the agencies of a sheet; raise ``ImportRejected`` listing every problem.

    ``rows`` are ready-read rows (column key -> cell value, or ``SheetRow``); ``file`` is an
    uploaded .xlsx. On success each created or changed agency gets one audit event.
    """
    require(actor, "agency.import")
    if (rows is None) == (file is None):
        raise TypeError("agencies_import needs rows or file, not both")
    if file is not None:
        filename = filename or str(getattr(file, "name", "") or "")
        sheet_rows = read_sheet(file, filename=filename)
    else:
        sheet_rows = _as_sheet_rows(rows or ())
    reason = (
        _("Imported from the Excel file %(file)s.") % {"file": filename}
        if filename
        else _("Imported from Excel.")
    )
    with transaction.atomic():
        importer = _Importer(actor=actor, rows=sheet_rows)
        items = importer.check()
        if importer.errors:
            raise ImportRejected(importer.sorted_errors())
        try:
            return _save(items, actor=actor, reason=reason, ip=ip)
        except IntegrityError:
            # Someone registered one of these codes between our check and our save.
            raise ImportRejected(
                [
                    RowError(
                        row=None,
                        column="",
                        message=_(
                            "The registry changed while the file was being imported; "
                            "nothing was saved. Upload the file again."
                        ),
                        code="conflict",
                    )
                ]
            ) from None


def _as_sheet_rows(rows: Iterable[SheetRow | Mapping[str, Any]]) -> list[SheetRow]:
    found = [
        row if isinstance(row, SheetRow) else SheetRow(number=index, cells=dict(row))
        for index, row in enumerate(rows, start=2)  # as if under a header row
    ]
    if not found:
        raise ImportRejected(
            [
                RowError(
                    None, "", _("The file has no agency rows under the header row."), "empty_file"
                )
            ]
        )
    if len(found) > MAX_ROWS:
        raise ImportRejected(
            [
                RowError(
                    None,
                    "",
                    _("The file has more than %(limit)s agency rows; split it into smaller files.")
                    % {"limit": persian_digits(MAX_ROWS)},
                    "too_many_rows",
                )
            ]
        )
    return found


class _Importer:
    """Checks a sheet against the registry without writing anything."""

    def __init__(self, *, actor: Any, rows: list[SheetRow]) -> None:
        self.actor = actor
        self.rows = rows
        self.errors: list[RowError] = []

    def error(self, item: _Item | int, column: Column | None, message: str, code: str) -> None:
        number = item if isinstance(item, int) else item.number
        self.errors.append(RowError(number, column.header if column else "", message, code))
        if isinstance(item, _Item):
            item.valid = False

    def sorted_errors(self) -> list[RowError]:
        order = {column.header: index for index, column in enumerate(COLUMNS)}
        return sorted(self.errors, key=lambda e: (e.row or 0, order.get(e.column, -1)))

    def check(self) -> list[_Item]:
        texts = [(row.number, _texts(row)) for row in self.rows]
        first_rows = self._duplicates(texts)
        file_codes = {text["code"] for _number, text in texts if text["code"]}
        parent_codes = {text["parent"] for _number, text in texts if text["parent"]}
        # Locked until the import commits, so no one edits these agencies in between.
        existing = {
            agency.code: agency
            for agency in Agency.objects.select_for_update(of=("self",))
            .select_related("parent", "province", "agency_type")
            .filter(code__in=file_codes)
        }
        outside = {
            agency.code: agency
            for agency in Agency.objects.select_related("province").filter(
                code__in=parent_codes - file_codes
            )
        }
        provinces = {
            p.code: p for p in Province.objects.filter(code__in={t["province"] for _n, t in texts})
        }
        types = {
            t.code: t
            for t in AgencyType.objects.filter(code__in={t["agency_type"] for _n, t in texts})
        }
        items: list[_Item] = []
        for number, text in texts:
            repeat = bool(text["code"]) and first_rows[text["code"]] != number
            # A repeat's cells are still checked, but only the first row with a code takes
            # part in the tree and is saved: the file cannot say which one it meant.
            item = self._item(number, text, {} if repeat else existing, provinces, types)
            if not repeat:
                items.append(item)
        by_code = {item.agency.code: item for item in items if item.agency.code}
        for item in items:
            self._link_parent(item, by_code, outside)
        for item in items:
            self._check_scope(item)
        with _placeholder_keys([item.agency for item in items]):
            for item in items:
                self._check_structure(item)
            self._check_children(items, file_codes)
        return items

    def _duplicates(self, texts: list[tuple[int, dict[str, str]]]) -> dict[str, int]:
        numbers: dict[str, list[int]] = {}
        for number, text in texts:
            if text["code"]:
                numbers.setdefault(text["code"], []).append(number)
        for code, found in numbers.items():
            for number in found[1:]:
                self.error(
                    number,
                    COLUMN_BY_KEY["code"],
                    _("The code %(code)s is repeated in rows %(rows)s.")
                    % {
                        "code": persian_digits(code),
                        "rows": "، ".join(persian_digits(n) for n in found),
                    },
                    "duplicate_code",
                )
        return {code: found[0] for code, found in numbers.items()}

    def _item(
        self,
        number: int,
        text: dict[str, str],
        existing: dict[str, Agency],
        provinces: dict[str, Province],
        types: dict[str, AgencyType],
    ) -> _Item:
        code = text["code"]
        agency = existing.get(code)
        before = snapshot(agency) if agency is not None else None
        item = _Item(number=number, text=text, agency=agency or Agency(code=code), before=before)
        if agency is not None and not may(self.actor, "agency.change", agency):
            # Checked on the agency as it stands, before the row moves it anywhere.
            self.error(
                item,
                None,
                _("Agency %(code)s belongs to a province you do not manage; you may not change it.")
                % {"code": persian_digits(code)},
                "out_of_scope",
            )
            item.refused = True
        for column in COLUMNS:
            value = text[column.key]
            if column.required and not value:
                self.error(
                    item,
                    column,
                    _("The cell «%(column)s» is empty; it is required.")
                    % {"column": column.header},
                    "required",
                )
            elif column.max_length and len(value) > column.max_length:
                self.error(
                    item,
                    column,
                    _("«%(value)s» is longer than %(limit)s characters.")
                    % {"value": value, "limit": persian_digits(column.max_length)},
                    "too_long",
                )
        if code == EXAMPLE_CODE:
            self.error(
                item,
                COLUMN_BY_KEY["code"],
                _(
                    "This is the template's example row (code %(code)s); "
                    "delete it or replace it with a real agency."
                )
                % {"code": code},
                "example_row",
            )
        target = item.agency
        target.name = text["name"]
        target.county = text["county"]
        if text["kind"]:
            item.kind = parse_kind(text["kind"])
            if item.kind is None:
                self.error(
                    item,
                    COLUMN_BY_KEY["kind"],
                    _("Unknown kind «%(value)s»; write one of: %(choices)s.")
                    % {
                        "value": text["kind"],
                        "choices": "، ".join(kind_label(kind) for kind in AgencyKind),
                    },
                    "unknown_kind",
                )
            else:
                target.kind = item.kind
        for key in ("has_county_units", "is_active"):
            if not text[key]:
                continue  # reported above as required
            answer = parse_yes_no(text[key])
            if answer is None:
                self.error(
                    item,
                    COLUMN_BY_KEY[key],
                    _("«%(value)s» is neither %(yes)s nor %(no)s.")
                    % {"value": persian_digits(text[key]), "yes": YES, "no": NO},
                    "yes_no",
                )
            else:
                setattr(target, key, answer)
        target.province = None
        if text["province"]:
            province = provinces.get(text["province"])
            if province is None:
                self.error(
                    item,
                    COLUMN_BY_KEY["province"],
                    _("There is no province with the code «%(value)s».")
                    % {"value": persian_digits(text["province"])},
                    "unknown_province",
                )
            target.province = province
        if text["agency_type"]:
            agency_type = types.get(text["agency_type"])
            if agency_type is None:
                self.error(
                    item,
                    COLUMN_BY_KEY["agency_type"],
                    _("There is no agency type with the code «%(value)s».")
                    % {"value": persian_digits(text["agency_type"])},
                    "unknown_type",
                )
            else:
                target.agency_type = agency_type
        return item

    def _link_parent(
        self, item: _Item, by_code: dict[str, _Item], outside: dict[str, Agency]
    ) -> None:
        code = item.text["parent"]
        parent: Agency | None = None
        if code:
            in_file = by_code.get(code)
            parent = in_file.agency if in_file is not None else outside.get(code)
            if parent is None:
                self.error(
                    item,
                    COLUMN_BY_KEY["parent"],
                    _(
                        "There is no agency with the code «%(value)s», "
                        "neither in the system nor in this file."
                    )
                    % {"value": persian_digits(code)},
                    "unknown_parent",
                )
        item.parent = parent
        item.agency.parent = parent

    def _check_scope(self, item: _Item) -> None:
        """Staff import their own province's units; only the administrator goes further."""
        agency = item.agency
        if item.kind is None or item.refused:
            return
        action = "agency.create" if item.before is None else "agency.change"
        if may(self.actor, action, agency):
            return
        if agency.kind not in PROVINCIAL_KINDS:
            self.error(
                item,
                COLUMN_BY_KEY["kind"],
                _("Only the system administrator may import a %(kind)s (%(code)s).")
                % {"kind": agency.get_kind_display(), "code": persian_digits(agency.code)},
                "out_of_scope",
            )
        elif agency.province_id is not None:
            self.error(
                item,
                COLUMN_BY_KEY["province"],
                _("You may import units of your own province only; «%(value)s» is not yours.")
                % {"value": persian_digits(item.text["province"])},
                "out_of_scope",
            )

    def _check_structure(self, item: _Item) -> None:
        if not item.valid:
            return
        for problem in check_structure(item.agency):
            self.error(item, None, problem, "structure")

    def _check_children(self, items: list[_Item], file_codes: set[str]) -> None:
        """A changed row must not break the agencies under it that the file leaves alone."""
        changed = {item.agency.pk: item for item in items if item.before is not None and item.valid}
        if not changed:
            return
        children = (
            Agency.objects.filter(parent_id__in=list(changed))
            .exclude(code__in=file_codes)
            .select_related("parent", "province")
        )
        for child in children:
            item = changed[child.parent_id]  # type: ignore[index]  # filtered on parent_id
            # Only problems the import would cause: old faults are not this file's doing.
            old = set(check_structure(child))
            child.parent = item.agency
            new = [problem for problem in check_structure(child) if problem not in old]
            if new:
                self.error(
                    item,
                    None,
                    _(
                        "This change would leave %(child)s (%(code)s), which stands under it, "
                        "invalid: %(problems)s"
                    )
                    % {
                        "child": child.name,
                        "code": persian_digits(child.code),
                        "problems": " ".join(new),
                    },
                    "breaks_child",
                )


def _texts(row: SheetRow) -> dict[str, str]:
    return {
        column.key: cell_text(row.cells.get(column.key), is_code=column.is_code)
        for column in COLUMNS
    }


@contextmanager
def _placeholder_keys(agencies: list[Agency]) -> Iterator[None]:
    """Give new agencies a temporary key while the tree is checked.

    check_structure tells agencies apart by key to find loops; unsaved ones all have None,
    which would make any new agency under another new one look like it stood under itself.
    """
    new = [agency for agency in agencies if agency.pk is None]
    for index, agency in enumerate(new, start=1):
        agency.pk = -index
    try:
        yield
    finally:
        for agency in new:
            agency.pk = None


def _depth(item: _Item, by_code: dict[str, _Item]) -> int:
    """How many rows of the file stand above this one: parents are saved before children."""
    depth, seen, parent = 0, {item.agency.code}, item.text["parent"]
    while parent in by_code and parent not in seen:
        seen.add(parent)
        depth += 1
        parent = by_code[parent].text["parent"]
    return depth


def _save(items: list[_Item], *, actor: Any, reason: str, ip: str | None) -> ImportResult:
    by_code = {item.agency.code: item for item in items}
    created: list[str] = []
    updated: list[str] = []
    unchanged: list[str] = []
    moved: list[Agency] = []
    for item in sorted(items, key=lambda item: _depth(item, by_code)):
        agency = item.agency
        # Bound again now that a parent from this file has been saved and has its key.
        agency.parent = item.parent
        changes = diff(item.before or {}, snapshot(agency))
        if item.before is not None and not changes:
            unchanged.append(agency.code)
            continue
        agency.save()
        if item.before is None:
            created.append(agency.code)
            action = "agency.create"
        else:
            updated.append(agency.code)
            action = "agency.update"
            if "parent" in changes or "kind" in changes:
                moved.append(agency)
        record(actor=actor, action=action, target=agency, changes=changes, reason=reason, ip=ip)
    # After every save, so each refresh walks the tree as the file left it.
    for agency in moved:
        refresh_headquarters(agency)
    return ImportResult(created=tuple(created), updated=tuple(updated), unchanged=tuple(unchanged))
