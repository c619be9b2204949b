"""Every change to specific indicators and MoUs: locked, checked, saved and audited at once.

The participation row is the lock: versions of one agency's MoU are numbered and closed one
after another, so two people approving or starting at the same moment are served in turn.
"""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from karnameh.accounts.permissions import require
from karnameh.assessments.models import Answer
from karnameh.audit.services import record
from karnameh.catalogue.models import Catalogue, Kind, Level
from karnameh.catalogue.selectors import visible_catalogues
from karnameh.catalogue.services import catalogue_copy, catalogue_freeze
from karnameh.common.errors import DomainError
from karnameh.common.text import persian_digits
from karnameh.cycles.deadlines import deadline
from karnameh.cycles.models import Participation
from karnameh.cycles.steps import SPECIFIC_INDICATORS
from karnameh.scoring.numbers import plain, to_decimal

from .models import Agreement, AgreementStatus, Target
from .selectors import IN_FORCE, PARTS, SPECIFIC, needed_keys

Key = tuple[str, str]
# Target.value: max_digits 24, decimal_places 6.
_LIMIT = Decimal(10) ** 18
_PLACES = 6
SIDES = ("agency", "organization")


class TargetsRejected(DomainError):
    """Some values were refused; ``problems`` maps each (part, gauge) to what is wrong."""

    def __init__(self, problems: dict[Key, str]) -> None:
        self.problems = problems
        super().__init__(
            _("Nothing was saved. %(problems)s") % {"problems": " ".join(problems.values())},
            code="invalid_targets",
        )


def _locked(participation: Participation) -> Participation:
    return (
        Participation.objects.select_for_update(of=("self",))
        .select_related("cycle", "cycle__general_catalogue", "agency", "specific_catalogue")
        .get(pk=participation.pk)
    )


def _gauge_name(key: Key) -> str:
    part, code = key
    label = _("specific") if part == SPECIFIC else _("general")
    return _("gauge %(code)s (%(part)s)") % {"code": persian_digits(code), "part": label}


def parse_targets(
    participation: Participation, targets: Mapping[Key, Decimal | str | None]
) -> dict[Key, Decimal | None]:
    """Values checked against the gauges that take an MoU target; None removes a target.

    Every problem is collected, so that a form or a sheet is corrected in one go.
    """
    needed = needed_keys(participation)
    parsed: dict[Key, Decimal | None] = {}
    problems: dict[Key, str] = {}
    for key, raw in targets.items():
        name = _gauge_name(key)
        if key[0] not in PARTS or key not in needed:
            problems[key] = _("%(gauge)s does not take a target agreed in the MoU.") % {
                "gauge": name
            }
            continue
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            parsed[key] = None
            continue
        value = to_decimal(raw)
        if value is None:
            problems[key] = _("The target of %(gauge)s is not a number.") % {"gauge": name}
        elif value < 0:
            problems[key] = _("The target of %(gauge)s cannot be negative.") % {"gauge": name}
        elif value >= _LIMIT or -value.as_tuple().exponent > _PLACES:  # type: ignore[operator]
            problems[key] = _(
                "The target of %(gauge)s is too large or has more than %(places)s decimals."
            ) % {"gauge": name, "places": persian_digits(_PLACES)}
        else:
            parsed[key] = value
    if problems:
        raise TargetsRejected(problems)
    return parsed


def missing_targets(participation: Participation, have: set[Key]) -> list[Key]:
    return [key for key in needed_keys(participation) if key not in have]


def _refuse_missing(participation: Participation, have: set[Key]) -> None:
    missing = missing_targets(participation, have)
    if missing:
        raise DomainError(
            _("These gauges have no target yet: %(gauges)s.")
            % {"gauges": "، ".join(_gauge_name(key) for key in missing)},
            code="missing_targets",
        )


def _written(values: Mapping[Key, Decimal | None]) -> dict[str, str | None]:
    """Targets for an audit event: «general:1.2.1» -> "80"."""
    return {f"{p}:{c}": None if v is None else plain(v) for (p, c), v in sorted(values.items())}


def _current_values(agreement: Agreement) -> dict[Key, Decimal]:
    return {(t.part, t.gauge_code): t.value for t in agreement.targets.all()}


def _next_version(participation: Participation) -> int:
    last = Agreement.objects.filter(participation=participation).aggregate(n=Max("version"))["n"]
    return (last or 0) + 1


# --- Specific indicators -----------------------------------------------------------------


def _fits_cycle(catalogue: Catalogue, participation: Participation) -> bool:
    """Same year and level; or a provincial slice: a national catalogue copied into the province."""
    cycle = participation.cycle
    if catalogue.year != cycle.year:
        return False
    if catalogue.level == cycle.level:
        return True
    return (
        cycle.level == Level.PROVINCIAL
        and catalogue.level == Level.NATIONAL
        and catalogue.province_id is not None
        and catalogue.province_id == cycle.province_id
    )


def _freeze_for_cycle(actor: Any, catalogue: Catalogue, participation: Participation) -> None:
    reason = _("Assigned to %(agency)s in %(cycle)s.") % {
        "agency": participation.agency.name,
        "cycle": participation.cycle.title,
    }
    # ``for_cycle`` lets staff freeze a shared catalogue they do not manage, for their own
    # cycle (the right checked here is ``specific.assign``).
    catalogue_freeze(actor=actor, catalogue=catalogue, reason=reason, for_cycle=True)


def specific_assign(
    *,
    actor: Any,
    participation: Participation,
    catalogue: Catalogue,
    reason: str = "",
    ip: str | None = None,
) -> Participation:
    """Which specific catalogue the agency is evaluated on; a draft is frozen for good."""
    with transaction.atomic():
        locked = _locked(participation)
        require(actor, "specific.assign", locked)
        if not visible_catalogues(actor).filter(pk=catalogue.pk).exists():
            raise DomainError(_("No such catalogue."), code="not_found")
        catalogue = Catalogue.objects.select_for_update().get(pk=catalogue.pk)
        if catalogue.kind != Kind.SPECIFIC:
            raise DomainError(
                _("“%(title)s” is not a catalogue of specific indicators.")
                % {"title": catalogue.title},
                code="not_specific",
            )
        if not _fits_cycle(catalogue, locked):
            raise DomainError(
                _("“%(title)s” is not for this cycle's year and level.")
                % {"title": catalogue.title},
                code="other_cycle",
            )
        if Answer.objects.filter(participation=locked, part=SPECIFIC).exists():
            raise DomainError(
                _(
                    "The agency has already answered its specific indicators: they can no "
                    "longer be replaced."
                ),
                code="answered",
            )
        before = locked.specific_catalogue
        if before is not None and before.pk == catalogue.pk:
            return locked
        if not catalogue.is_frozen:
            _freeze_for_cycle(actor, catalogue, locked)
        locked.specific_catalogue = catalogue
        locked.save(update_fields=["specific_catalogue"])
        # Targets of the old catalogue's gauges mean nothing for the new one.
        draft = Agreement.objects.filter(participation=locked, status=AgreementStatus.DRAFT)
        Target.objects.filter(agreement__in=draft, part=SPECIFIC).delete()
        _clear_approvals(draft)
        record(
            actor=actor,
            action="specific.assign",
            target=locked,
            changes={"specific_catalogue": [before.code if before else None, catalogue.code]},
            reason=reason,
            ip=ip,
        )
    return locked


def slice_create(
    *,
    actor: Any,
    participation: Participation,
    source: Catalogue,
    code: str,
    title: str,
    reason: str = "",
    ip: str | None = None,
) -> Catalogue:
    """A provincial slice of a national specific catalogue: copied into the province, assigned."""
    require(actor, "specific.assign", participation)
    cycle = participation.cycle
    if source.level != Level.NATIONAL or source.kind != Kind.SPECIFIC:
        raise DomainError(
            _("A provincial slice is cut from a national catalogue of specific indicators."),
            code="not_national_specific",
        )
    with transaction.atomic():
        copy = catalogue_copy(
            actor=actor,
            source=source,
            code=code,
            year=cycle.year,
            title=title,
            province=cycle.province,
            reason=reason,
            ip=ip,
        )
        specific_assign(
            actor=actor, participation=participation, catalogue=copy, reason=reason, ip=ip
        )
    copy.refresh_from_db()
    return copy


# --- MoU versions ------------------------------------------------------------------------


def _clear_approvals(agreements: Any) -> None:
    agreements.update(
        agency_approved_at=None,
        agency_approved_by=None,
        organization_approved_at=None,
        organization_approved_by=None,
    )


def agreement_start(
    *, actor: Any, participation: Participation, reason: str = "", ip: str | None = None
) -> Agreement:
    """A new draft version with the targets of the latest version, whatever its status."""
    with transaction.atomic():
        locked = _locked(participation)
        require(actor, "agreement.change", locked)
        if Agreement.objects.filter(participation=locked, status=AgreementStatus.DRAFT).exists():
            raise DomainError(
                _("A draft version is already open: change it instead of starting another."),
                code="draft_open",
            )
        latest = Agreement.objects.filter(participation=locked).order_by("-version").first()
        agreement = Agreement.objects.create(
            participation=locked, version=_next_version(locked), created_by=actor
        )
        copied = _current_values(latest) if latest else {}
        Target.objects.bulk_create(
            Target(agreement=agreement, part=p, gauge_code=c, value=v)
            for (p, c), v in copied.items()
        )
        record(
            actor=actor,
            action="agreement.start",
            target=agreement,
            changes={
                "version": [latest.version if latest else None, agreement.version],
                "targets": [None, _written(dict(copied))],
            },
            reason=reason,
            ip=ip,
        )
    return agreement


def _lock_agreement(agreement: Agreement) -> tuple[Participation, Agreement]:
    participation = _locked(agreement.participation)
    return participation, Agreement.objects.select_for_update().get(pk=agreement.pk)


def _refuse_not_draft(agreement: Agreement) -> None:
    if agreement.status != AgreementStatus.DRAFT:
        raise DomainError(
            _("Version %(version)s is no longer a draft: start a new version to change it.")
            % {"version": persian_digits(agreement.version)},
            code="not_draft",
        )


def _apply(agreement: Agreement, values: Mapping[Key, Decimal | None]) -> dict[Key, list[Any]]:
    """Write the values; return what changed as [before, after]."""
    current = _current_values(agreement)
    changed: dict[Key, list[Any]] = {}
    for key, value in values.items():
        old = current.get(key)
        if old == value:
            continue
        changed[key] = [old, value]
        part, code = key
        if value is None:
            Target.objects.filter(agreement=agreement, part=part, gauge_code=code).delete()
        else:
            Target.objects.update_or_create(
                agreement=agreement, part=part, gauge_code=code, defaults={"value": value}
            )
    return changed


def targets_set(
    *,
    actor: Any,
    agreement: Agreement,
    targets: Mapping[Key, Decimal | str | None],
    reason: str = "",
    ip: str | None = None,
) -> Agreement:
    """Change a draft's targets; any change takes back both sides' approvals."""
    with transaction.atomic():
        participation, locked = _lock_agreement(agreement)
        require(actor, "agreement.change", participation)
        _refuse_not_draft(locked)
        values = parse_targets(participation, targets)
        changed = _apply(locked, values)
        if not changed:
            return locked
        approvals = [locked.agency_approved_at, locked.organization_approved_at]
        _clear_approvals(Agreement.objects.filter(pk=locked.pk))
        changes: dict[str, Any] = {
            f"{p}:{c}": [None if a is None else plain(a), None if b is None else plain(b)]
            for (p, c), (a, b) in sorted(changed.items())
        }
        if any(approvals):
            changes["approvals"] = ["cleared", None]
        record(
            actor=actor,
            action="agreement.targets_set",
            target=locked,
            changes=changes,
            reason=reason,
            ip=ip,
        )
        locked.refresh_from_db()
    return locked


def _refuse_without_specific(participation: Participation) -> None:
    if participation.specific_catalogue_id is None and participation.cycle.composition.get(
        SPECIFIC
    ):
        raise DomainError(
            _("The agency has no specific indicators yet: assign them before the MoU is closed."),
            code="no_specific",
        )


def _supersede_in_force(participation: Participation, keep: Agreement) -> list[int]:
    old = Agreement.objects.filter(participation=participation, status__in=IN_FORCE).exclude(
        pk=keep.pk
    )
    numbers = list(old.values_list("version", flat=True))
    old.update(status=AgreementStatus.SUPERSEDED)
    return numbers


def agreement_approve(
    *, actor: Any, agreement: Agreement, side: str, reason: str = "", ip: str | None = None
) -> Agreement:
    """One side approves the draft; with both sides it is agreed and replaces the one in force."""
    if side not in SIDES:
        raise DomainError(_("Unknown side: %(side)s.") % {"side": side}, code="unknown_side")
    with transaction.atomic():
        participation, locked = _lock_agreement(agreement)
        require(actor, f"agreement.approve_{side}", participation)
        _refuse_not_draft(locked)
        if getattr(locked, f"{side}_approved_at") is not None:
            raise DomainError(
                _("This side has already approved version %(version)s.")
                % {"version": persian_digits(locked.version)},
                code="already_approved",
            )
        _refuse_without_specific(participation)
        _refuse_missing(participation, set(_current_values(locked)))
        now = timezone.now()
        setattr(locked, f"{side}_approved_at", now)
        setattr(locked, f"{side}_approved_by", actor)
        fields = [f"{side}_approved_at", f"{side}_approved_by"]
        changes: dict[str, Any] = {f"{side}_approved_by": [None, actor.get_username()]}
        if locked.agency_approved_at and locked.organization_approved_at:
            locked.status = AgreementStatus.AGREED
            fields.append("status")
            changes["status"] = [AgreementStatus.DRAFT, AgreementStatus.AGREED]
            superseded = _supersede_in_force(participation, locked)
            if superseded:
                changes["superseded"] = [None, superseded]
        locked.save(update_fields=fields)
        record(
            actor=actor,
            action=f"agreement.approve_{side}",
            target=locked,
            changes=changes,
            reason=reason,
            ip=ip,
        )
    return locked


def agreement_impose(
    *,
    actor: Any,
    participation: Participation,
    targets: Mapping[Key, Decimal | str | None],
    reason: str,
    ip: str | None = None,
) -> Agreement:
    """Seed 000 item 7: no MoU by the end of step 5, so the organization sets the targets.

    Only after that deadline: before it, the two sides are still to agree. An open draft is
    closed as replaced; a later agreement of both sides may still replace this version.
    """
    reason = reason.strip()
    with transaction.atomic():
        locked = _locked(participation)
        require(actor, "agreement.impose", locked)
        if not reason:
            raise DomainError(
                _("Say why the organization sets the targets itself."), code="reason_required"
            )
        closes = deadline(locked, SPECIFIC_INDICATORS)
        if not closes.passed():
            raise DomainError(
                _(
                    "Targets can be set by the organization only after the agreement deadline "
                    "(%(date)s) has passed without an agreement."
                )
                % {"date": closes.label() or "—"},
                code="before_deadline",
            )
        if Agreement.objects.filter(participation=locked, status__in=IN_FORCE).exists():
            raise DomainError(
                _("An MoU is already in force: start a new version to change its targets."),
                code="in_force",
            )
        _refuse_without_specific(locked)
        values = {k: v for k, v in parse_targets(locked, targets).items() if v is not None}
        _refuse_missing(locked, set(values))
        drafts = Agreement.objects.filter(participation=locked, status=AgreementStatus.DRAFT)
        closed = list(drafts.values_list("version", flat=True))
        drafts.update(status=AgreementStatus.SUPERSEDED)
        now = timezone.now()
        agreement = Agreement.objects.create(
            participation=locked,
            version=_next_version(locked),
            status=AgreementStatus.IMPOSED,
            note=reason,
            organization_approved_at=now,
            organization_approved_by=actor,
            created_by=actor,
        )
        Target.objects.bulk_create(
            Target(agreement=agreement, part=p, gauge_code=c, value=v)
            for (p, c), v in values.items()
        )
        record(
            actor=actor,
            action="agreement.impose",
            target=agreement,
            changes={
                "status": [None, AgreementStatus.IMPOSED],
                "targets": [None, _written(dict(values))],
                "superseded": [None, closed],
            },
            reason=reason,
            ip=ip,
        )
    return agreement
