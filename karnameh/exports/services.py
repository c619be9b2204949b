"""Importing a province's package on a national installation: all of it, or nothing.

The file is read and checked whole before anything is written: JSON, the format's name, the
published schema, the checksum, then (under the national cycle's row lock) the year and
whether the province was already imported. Every refusal names the problem and its place
(«دستگاه ۳ (AR-ED): final is missing»), so a province can correct its file.
"""

import json
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from karnameh.accounts.permissions import require
from karnameh.audit.services import record
from karnameh.catalogue.models import Level
from karnameh.common.errors import DomainError
from karnameh.common.text import persian_digits
from karnameh.cycles.models import Cycle
from karnameh.cycles.services import lock_cycle

from .models import ProvincialPackage
from .national import FORMAT, checksum
from .schema import Problem, problems

MAX_BYTES = 30 * 1024 * 1024  # 100 agencies with every gauge is about 4 MB
SHOWN_PROBLEMS = 5


def _refused(message: str, code: str) -> DomainError:
    return DomainError(_("The package was not imported: %(why)s") % {"why": message}, code=code)


def _read(upload: IO[bytes] | bytes) -> bytes:
    if isinstance(upload, bytes):
        data = upload
    else:
        if hasattr(upload, "seek"):
            upload.seek(0)
        data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _refused(
            _("the file is larger than %(limit)s MB.")
            % {"limit": persian_digits(MAX_BYTES // (1024 * 1024))},
            "file_too_large",
        )
    if not data:
        raise _refused(_("the file is empty."), "empty_file")
    return data


def _place(payload: dict[str, Any], path: tuple[str | int, ...]) -> tuple[str, str]:
    """(where, which field) in words: an agency by its position and code, else the package."""
    rest: tuple[str | int, ...] = path
    where = _("the package")
    agencies = payload.get("agencies")
    if len(path) >= 2 and path[0] == "agencies" and isinstance(path[1], int):
        number = path[1]
        agency = agencies[number] if isinstance(agencies, list) else None
        code = agency.get("code") if isinstance(agency, dict) else None
        where = _("agency %(number)s (%(code)s)") % {
            "number": persian_digits(number + 1),
            "code": code if isinstance(code, str) else "?",
        }
        rest = path[2:]
    words = [persian_digits(p + 1) if isinstance(p, int) else p for p in rest]
    return where, " › ".join(words) or _("the whole entry")


def describe(payload: dict[str, Any], problem: Problem) -> str:
    where, field = _place(payload, problem.path)
    values = {"place": where, "field": field, "detail": problem.detail}
    messages = {
        "missing": _("%(place)s: «%(field)s» is missing"),
        "type": _("%(place)s: «%(field)s» has the wrong kind of value (expected %(detail)s)"),
        "value": _("%(place)s: «%(field)s» has a value the format does not allow"),
        "extra": _("%(place)s: «%(field)s» is not part of the format"),
        "short": _("%(place)s: «%(field)s» is empty"),
        "pattern": _("%(place)s: «%(field)s» is not written as the format requires"),
        "range": _("%(place)s: «%(field)s» is out of range (%(detail)s)"),
    }
    return messages.get(problem.code, messages["value"]) % values


def read_package(upload: IO[bytes] | bytes) -> dict[str, Any]:
    """A checked package, or ``DomainError`` naming what is wrong and where."""
    data = _read(upload)
    try:
        payload = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise _refused(_("the file is not JSON."), "not_json") from None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        found = payload.get("format") if isinstance(payload, dict) else None
        raise _refused(
            _("the file is not a package of the format %(format)s (it says: %(found)s).")
            % {"format": FORMAT, "found": found if isinstance(found, str) else "—"},
            "wrong_format",
        )
    found = problems(payload)
    if found:
        lines = [describe(payload, p) for p in found[:SHOWN_PROBLEMS]]
        if len(found) > SHOWN_PROBLEMS:
            lines.append(
                _("and %(count)s more problems")
                % {"count": persian_digits(len(found) - SHOWN_PROBLEMS)}
            )
        raise _refused("؛ ".join(lines), "invalid_package")
    codes = [agency["code"] for agency in payload["agencies"]]
    twice = sorted({code for code in codes if codes.count(code) > 1})
    if twice:
        raise _refused(
            _("agencies listed twice: %(codes)s.") % {"codes": "، ".join(twice)}, "duplicate_agency"
        )
    if payload["checksum"]["value"] != checksum(payload):
        raise _refused(
            _(
                "its checksum does not match its content: the file was changed after the "
                "province exported it, or damaged on the way. Ask the province for the file again."
            ),
            "checksum_mismatch",
        )
    return payload


def package_import(
    *,
    actor: Any,
    cycle: Cycle,
    upload: IO[bytes] | bytes,
    replace: bool = False,
    ip: str | None = None,
) -> ProvincialPackage:
    """Import one province's package into a national cycle; ``replace`` to import it again."""
    require(actor, "exports.import", cycle)
    payload = read_package(upload)
    with transaction.atomic():
        locked = lock_cycle(cycle)
        require(actor, "exports.import", locked)
        if locked.level != Level.NATIONAL:
            raise DomainError(
                _("Packages are imported into a national cycle only."), code="not_national"
            )
        source = payload["cycle"]
        if source["level"] != Level.PROVINCIAL:
            raise _refused(_("it is not a provincial cycle's package."), "not_provincial")
        if source["year"] != locked.year:
            raise _refused(
                _("it is the package of %(found)s, and this national cycle is %(year)s.")
                % {
                    "found": persian_digits(source["year"]),
                    "year": persian_digits(locked.year),
                },
                "wrong_year",
            )
        province = payload["province"]
        existing = (
            ProvincialPackage.objects.select_for_update(of=("self",))
            .filter(cycle=locked, province_code=province["code"])
            .first()
        )
        if existing is not None and not replace:
            raise _refused(
                _(
                    "the package of %(province)s is already imported into this cycle. To "
                    "replace it, import it again with “Replace the imported package of the "
                    "same province” ticked."
                )
                % {"province": existing.province_name},
                "already_imported",
            )
        package = existing or ProvincialPackage(cycle=locked, province_code=province["code"])
        before = existing.checksum if existing else None
        package.province_name = province["name"]
        package.year = source["year"]
        package.payload = payload
        package.checksum = payload["checksum"]["value"]
        package.agencies = len(payload["agencies"])
        package.imported_at = timezone.now()
        package.imported_by = actor
        package.save()
        record(
            actor=actor,
            action="exports.package_replace" if existing else "exports.package_import",
            target=package,
            changes={
                "province": province["code"],
                "year": source["year"],
                "agencies": package.agencies,
                "checksum": [before, package.checksum],
            },
            ip=ip,
        )
    return package
