"""Every change to catalogues: locked, checked, saved and audited in one transaction.

A frozen catalogue is used by a cycle and never changes again: every change here refuses it.
A change that the engine would not load (maxima that no longer add up, a rule naming a field
that is not there) is refused with the engine's own messages, and nothing is saved.
"""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from karnameh.accounts.permissions import require
from karnameh.agencies.models import Province
from karnameh.audit.services import record
from karnameh.common.errors import DomainError
from karnameh.common.text import normalize_fa, persian_digits
from karnameh.scoring import Catalogue as EngineCatalogue
from karnameh.scoring import CatalogueError, parse_catalogue
from karnameh.scoring.diff import diff_catalogues
from karnameh.scoring.dump import catalogue_to_data, gauge_to_data
from karnameh.scoring.loader import Problem

from .models import Axis, Catalogue, ChecklistItem, Gauge, GaugeField, Status
from .store import (
    check_fits,
    compile_data,
    engine_catalogue,
    gauge_children,
    gauge_columns,
    replace_content,
    save_new,
    to_data,
)

MAX_FILE_BYTES = 2 * 1024 * 1024
# Words the catalogue pages use in their own addresses (/catalogues/import/ …).
RESERVED_CODES = {"import", "diff", "new"}
# What a gauge edit may set: the gauge's keys in the file, except its code.
GAUGE_KEYS = (
    "title",
    "max_score",
    "method",
    "target",
    "assessor",
    "measure",
    "evidence",
    "note",
    "allow_not_applicable",
    "tables",
    "fields",
    "rule",
)


class CatalogueRejected(DomainError):
    """The engine refused the catalogue; ``problems`` lists every place, with its line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(
            _(
                "Nothing was saved. Problems found in the catalogue: %(count)s. "
                "Correct them and try again."
            )
            % {"count": persian_digits(len(self.problems))},
            code="invalid_catalogue",
        )


def _refuse_frozen(catalogue: Catalogue) -> None:
    if catalogue.is_frozen:
        raise DomainError(
            _(
                "The catalogue “%(title)s” is frozen: a cycle uses it, so it can no longer be "
                "changed. Copy it to make a new draft."
            )
            % {"title": catalogue.title},
            code="frozen",
        )


def _check_code(code: str) -> None:
    if code in RESERVED_CODES:
        raise DomainError(
            _("“%(code)s” cannot be used as a catalogue code.") % {"code": code},
            code="reserved_code",
        )
    if Catalogue.objects.filter(code=code).exists():
        raise _taken(code)


def _taken(code: str) -> DomainError:
    return DomainError(
        _("The code %(code)s is already used by another catalogue.") % {"code": code},
        code="code_taken",
    )


def _summary(catalogue: Catalogue, engine: EngineCatalogue) -> dict[str, list[Any]]:
    """What a new catalogue is, for its audit event."""
    return {
        "code": [None, catalogue.code],
        "title": [None, catalogue.title],
        "year": [None, catalogue.year],
        "province": [None, catalogue.province.code if catalogue.province else None],
        "declared_max": [None, str(engine.max_score)],
        "status": [None, catalogue.status],
    }


def parse_text(text: str | bytes, *, name: str = "catalogue") -> EngineCatalogue:
    """A catalogue file's text checked by the engine; ``CatalogueRejected`` lists every problem."""
    size = len(text) if isinstance(text, bytes) else len(text.encode("utf-8"))
    if size > MAX_FILE_BYTES:
        raise DomainError(
            _("The catalogue is larger than %(limit)s MB.")
            % {"limit": persian_digits(MAX_FILE_BYTES // (1024 * 1024))},
            code="file_too_large",
        )
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise DomainError(
                _("The file is not UTF-8 text; save it as UTF-8 and upload it again."),
                code="not_utf8",
            ) from None
    if not text.strip():
        raise DomainError(_("The catalogue is empty."), code="empty")
    try:
        engine = parse_catalogue(text, name=name)
        check_fits(engine)
    except CatalogueError as error:
        raise CatalogueRejected(error.problems) from None
    return engine


def catalogue_import(
    *,
    actor: Any,
    text: str | bytes,
    province: Province | None,
    replace: Catalogue | None = None,
    reason: str = "",
    name: str = "catalogue",
    ip: str | None = None,
) -> Catalogue:
    """A new draft from a catalogue file, or the file's content put in an existing draft.

    All or nothing: a file with any problem saves nothing and lists every problem.
    """
    if replace is None:
        require(actor, "catalogue.create", Catalogue(province=province))
    else:
        require(actor, "catalogue.change", replace)
    engine = parse_text(text, name=name)
    with transaction.atomic():
        if replace is None:
            _check_code(engine.code)
            try:
                with transaction.atomic():
                    catalogue = save_new(engine, province=province)
            except IntegrityError:
                raise _taken(engine.code) from None
            record(
                actor=actor,
                action="catalogue.import",
                target=catalogue,
                changes=_summary(catalogue, engine),
                reason=reason,
                ip=ip,
            )
            return catalogue
        locked = Catalogue.objects.select_for_update().get(pk=replace.pk)
        require(actor, "catalogue.change", locked)
        _refuse_frozen(locked)
        if engine.code != locked.code:
            raise DomainError(
                _(
                    "The file is the catalogue %(file)s, not %(code)s: its code must be the "
                    "same to replace this draft."
                )
                % {"file": engine.code, "code": locked.code},
                code="other_catalogue",
            )
        differences = diff_catalogues(engine_catalogue(locked), engine)
        replace_content(locked, engine)
        before = locked.version
        locked.version += 1
        locked.save()
        record(
            actor=actor,
            action="catalogue.replace",
            target=locked,
            changes={
                "version": [before, locked.version],
                "added": [None, [d.code for d in differences.added]],
                "removed": [None, [d.code for d in differences.removed]],
                "changed": [None, [d.code for d in differences.changed]],
            },
            reason=reason,
            ip=ip,
        )
        return locked


def catalogue_copy(
    *,
    actor: Any,
    source: Catalogue,
    code: str,
    year: int,
    title: str,
    province: Province | None,
    reason: str = "",
    ip: str | None = None,
) -> Catalogue:
    """A new draft with the same content under a new code, year and title.

    A new year starts as a copy of last year's; the copy then changes as a draft.
    """
    require(actor, "catalogue.copy", source)
    require(actor, "catalogue.create", Catalogue(province=province))
    data = catalogue_to_data(engine_catalogue(source))
    data.update(code=code, year=year, title=normalize_fa(title))
    try:
        engine = compile_data(data, name=code)
    except CatalogueError as error:
        raise CatalogueRejected(error.problems) from None
    with transaction.atomic():
        _check_code(engine.code)
        try:
            with transaction.atomic():
                copy = save_new(engine, province=province, copied_from=source)
        except IntegrityError:
            raise _taken(engine.code) from None
        changes = _summary(copy, engine)
        changes["copied_from"] = [None, source.code]
        record(
            actor=actor,
            action="catalogue.copy",
            target=copy,
            changes=changes,
            reason=reason,
            ip=ip,
        )
    return copy


def catalogue_freeze(
    *,
    actor: Any,
    catalogue: Catalogue,
    reason: str = "",
    ip: str | None = None,
    for_cycle: bool = False,
) -> Catalogue:
    """Freeze a draft for good: a cycle is about to score agencies with it.

    ``for_cycle``: a cycle is being created with it (cycles.services.cycle_create, which has
    checked ``cycle.create`` and names the cycle in ``reason``). Staff may then freeze a shared
    catalogue they could not freeze from the catalogue pages, and one already frozen is simply
    used again: many cycles may score with the same catalogue.
    """
    with transaction.atomic():
        locked = Catalogue.objects.select_for_update().get(pk=catalogue.pk)
        if for_cycle and locked.is_frozen:
            return locked
        if not for_cycle:
            require(actor, "catalogue.freeze", locked)
        if locked.is_frozen:
            raise DomainError(
                _("The catalogue “%(title)s” is already frozen.") % {"title": locked.title},
                code="frozen",
            )
        locked.status = Status.FROZEN
        locked.frozen_at = timezone.now()
        locked.version += 1
        locked.save(update_fields=["status", "frozen_at", "version", "updated_at"])
        record(
            actor=actor,
            action="catalogue.freeze",
            target=locked,
            changes={"status": [Status.DRAFT, Status.FROZEN]},
            reason=reason,
            ip=ip,
        )
    return locked


def catalogue_delete(
    *, actor: Any, catalogue: Catalogue, reason: str = "", ip: str | None = None
) -> None:
    """Delete a draft (a wrong import, an abandoned copy). Frozen catalogues stay forever."""
    with transaction.atomic():
        locked = Catalogue.objects.select_for_update().get(pk=catalogue.pk)
        require(actor, "catalogue.delete", locked)
        _refuse_frozen(locked)
        # Written first, while the row still exists: the event keeps its id and title.
        record(
            actor=actor,
            action="catalogue.delete",
            target=locked,
            changes={"code": [locked.code, None], "title": [locked.title, None]},
            reason=reason,
            ip=ip,
        )
        locked.delete()


def _gauge_place(data: dict[str, Any], code: str) -> tuple[list[dict[str, Any]], int]:
    for axis in data["axes"]:
        for indicator in axis["indicators"]:
            for index, gauge in enumerate(indicator["gauges"]):
                if gauge["code"] == code:
                    return indicator["gauges"], index
    raise LookupError(code)


# The audit event names what changed by the gauge's own columns where there is one.
_AUDIT_KEYS = {"target": "target_value", "assessor": "assessor_code"}


def gauge_update(
    *,
    actor: Any,
    gauge: Gauge,
    data: dict[str, Any],
    reason: str = "",
    ip: str | None = None,
) -> Gauge:
    """Change a draft's gauge: texts, maximum, method, target, fields, tables and rule.

    ``data`` holds the gauge's keys as the file writes them (``GAUGE_KEYS``; a key left out
    is removed, as in the file). The whole catalogue is checked again with the change in it,
    so a maximum that breaks its indicator's sum, or a rule naming a missing field, is
    refused with the engine's message and nothing is saved.
    """
    catalogue_id = Axis.objects.filter(indicators__gauges=gauge).values_list(
        "catalogue_id", flat=True
    )[0]
    with transaction.atomic():
        catalogue = Catalogue.objects.select_for_update().get(pk=catalogue_id)
        require(actor, "catalogue.change", catalogue)
        _refuse_frozen(catalogue)
        row = Gauge.objects.select_related("indicator").get(pk=gauge.pk)
        full = to_data(catalogue)
        siblings, index = _gauge_place(full, row.code)
        siblings[index] = {"code": row.code, **{k: data[k] for k in GAUGE_KEYS if k in data}}
        try:
            engine = compile_data(full, name=catalogue.code)
        except CatalogueError as error:
            raise CatalogueRejected(error.problems) from None
        old = engine_catalogue(catalogue).gauge(row.code)
        new = engine.gauge(row.code)
        assert old is not None and new is not None
        before, after = gauge_to_data(old[1]), gauge_to_data(new[1])
        changes = {
            _AUDIT_KEYS.get(key, key): [before.get(key), after.get(key)]
            for key in GAUGE_KEYS
            if before.get(key) != after.get(key)
        }
        if not changes:
            return row
        # The row as a fresh import would write it, saved over the old one (same id, same
        # place): every column comes from one function, gauge_columns.
        fresh = gauge_columns(row.indicator, new[1], row.order)
        fresh.pk = row.pk
        fresh.save(force_update=True)
        row = fresh
        GaugeField.objects.filter(gauge=row).delete()
        ChecklistItem.objects.filter(gauge=row).delete()
        fields, items = gauge_children(row, new[1])
        GaugeField.objects.bulk_create(fields)
        ChecklistItem.objects.bulk_create(items)
        catalogue.version += 1
        catalogue.save(update_fields=["version", "updated_at"])
        record(
            actor=actor,
            action="catalogue.gauge_update",
            target=row,
            changes=changes,
            reason=reason,
            ip=ip,
        )
    return row
