"""What follows the ranking: the festival's size, the performance-bonus table and the festival's
nominations of managers and experts. Each change locked, checked, saved and audited at once.

The bonus table and the festival's size may change until the results are published: the
payroll export and the festival list then follow the published ranking and nothing else.
Nominations stay open after publication, because the festival (step 12) comes after it.
"""

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from karnameh.accounts.permissions import require
from karnameh.audit.services import record
from karnameh.common.errors import DomainError
from karnameh.common.text import normalize_input, persian_digits
from karnameh.cycles.models import Cycle, Participation
from karnameh.cycles.services import lock_cycle

from .locks import is_released
from .models import BonusBand, Nomination, NominationKind, Policy

HUNDRED = Decimal(100)
# No payroll rule pays more than ten times the base; a larger figure is a typing mistake.
MAX_COEFFICIENT = Decimal(10)
MAX_FESTIVAL = 50


def _refuse_released(cycle: Cycle) -> None:
    if is_released(cycle):
        raise DomainError(
            _(
                "The results of this cycle are published; the bonus table and the festival's "
                "size no longer change."
            ),
            code="released",
        )


def policy_set(*, actor: Any, cycle: Cycle, festival_size: int, ip: str | None = None) -> Policy:
    with transaction.atomic():
        locked = lock_cycle(cycle)
        require(actor, "results.settings", locked)
        _refuse_released(locked)
        if not 1 <= festival_size <= MAX_FESTIVAL:
            raise DomainError(
                _("The festival honours between %(low)s and %(high)s agencies per peer group.")
                % {"low": persian_digits(1), "high": persian_digits(MAX_FESTIVAL)},
                code="festival_size",
            )
        policy = Policy.objects.filter(cycle=locked).first()
        before = policy.festival_size if policy else None
        if policy is None:
            policy = Policy(cycle=locked)
        policy.festival_size = festival_size
        policy.updated_at, policy.updated_by = timezone.now(), actor
        policy.save()
        record(
            actor=actor,
            action="results.settings",
            target=locked,
            changes={"festival_size": [before, festival_size]},
            ip=ip,
        )
    return policy


def _number(raw: Any, row: int, what: str) -> Decimal:
    text = normalize_input(str(raw if raw is not None else "").strip())
    try:
        value = Decimal(text.replace("٫", ".").replace("/", "."))
    except (InvalidOperation, ValueError):
        value = None
    if value is None or not value.is_finite():
        raise DomainError(
            _("Row %(row)s: the %(what)s «%(raw)s» is not a number.")
            % {"row": persian_digits(row), "what": what, "raw": raw},
            code="bands",
        )
    return value


def check_bands(rows: Sequence[tuple[Any, Any]]) -> list[tuple[Decimal, Decimal]]:
    """Parsed, checked bands, lowest first. Empty rows are skipped; a Persian message names
    the row of the first problem."""
    parsed: list[tuple[Decimal, Decimal]] = []
    seen: dict[Decimal, int] = {}
    for row, (lower, coefficient) in enumerate(rows, start=1):
        if str(lower or "").strip() == "" and str(coefficient or "").strip() == "":
            continue
        low = _number(lower, row, _("starting score"))
        factor = _number(coefficient, row, _("coefficient"))
        if not Decimal(0) <= low <= HUNDRED:
            raise DomainError(
                _("Row %(row)s: a band starts at a score between ۰ and ۱۰۰, not %(low)s.")
                % {"row": persian_digits(row), "low": persian_digits(low)},
                code="bands",
            )
        if not Decimal(0) <= factor <= MAX_COEFFICIENT:
            raise DomainError(
                _("Row %(row)s: the coefficient must be between ۰ and %(max)s, not %(value)s.")
                % {
                    "row": persian_digits(row),
                    "max": persian_digits(MAX_COEFFICIENT),
                    "value": persian_digits(factor),
                },
                code="bands",
            )
        if low in seen:
            raise DomainError(
                _("Rows %(first)s and %(row)s both start at the score %(low)s.")
                % {
                    "first": persian_digits(seen[low]),
                    "row": persian_digits(row),
                    "low": persian_digits(low),
                },
                code="bands",
            )
        seen[low] = row
        parsed.append((low, factor))
    return sorted(parsed)


def bands_set(
    *, actor: Any, cycle: Cycle, rows: Sequence[tuple[Any, Any]], ip: str | None = None
) -> list[BonusBand]:
    """Replace the cycle's whole bonus table (all rows checked before anything is written)."""
    with transaction.atomic():
        locked = lock_cycle(cycle)
        require(actor, "results.settings", locked)
        _refuse_released(locked)
        parsed = check_bands(rows)
        old = BonusBand.objects.filter(cycle=locked)
        before = [[str(b.lower), str(b.coefficient)] for b in old.order_by("lower")]
        old.delete()
        bands = BonusBand.objects.bulk_create(
            BonusBand(cycle=locked, lower=low, coefficient=factor) for low, factor in parsed
        )
        record(
            actor=actor,
            action="results.bonus",
            target=locked,
            changes={"bands": [before, [[str(lo), str(f)] for lo, f in parsed]]},
            ip=ip,
        )
    return bands


def nomination_add(
    *,
    actor: Any,
    participation: Participation,
    kind: str,
    full_name: str,
    position: str = "",
    reason: str = "",
    ip: str | None = None,
) -> Nomination:
    full_name, position, reason = full_name.strip(), position.strip(), reason.strip()
    with transaction.atomic():
        locked = lock_cycle(participation.cycle)
        require(actor, "results.settings", locked)
        if kind not in NominationKind.values:
            raise DomainError(_("Choose whether a manager or an expert is nominated."), code="kind")
        if not full_name:
            raise DomainError(_("Write the nominee's full name."), code="full_name")
        nomination = Nomination.objects.create(
            participation=participation,
            kind=kind,
            full_name=full_name,
            position=position,
            reason=reason,
            created_by=actor,
            created_at=timezone.now(),
        )
        record(
            actor=actor,
            action="results.nominate",
            target=locked,
            changes={
                "agency": participation.agency.code,
                "kind": kind,
                "full_name": full_name,
                "position": position,
            },
            ip=ip,
        )
    return nomination


def nomination_remove(*, actor: Any, nomination: Nomination, ip: str | None = None) -> None:
    cycle = nomination.participation.cycle
    with transaction.atomic():
        locked = lock_cycle(cycle)
        require(actor, "results.settings", locked)
        found = Nomination.objects.select_for_update(of=("self",)).filter(pk=nomination.pk).first()
        if found is None:
            raise DomainError(_("This nomination was already removed."), code="gone")
        record(
            actor=actor,
            action="results.unnominate",
            target=locked,
            changes={
                "agency": nomination.participation.agency.code,
                "kind": found.kind,
                "full_name": found.full_name,
            },
            ip=ip,
        )
        found.delete()
