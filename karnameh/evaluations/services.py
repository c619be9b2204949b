"""Every change to evaluator assignments: locked, checked, saved and audited in one transaction."""

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from karnameh.accounts.models import EvaluatorScope
from karnameh.accounts.permissions import require
from karnameh.agencies.models import Agency
from karnameh.audit.services import record
from karnameh.catalogue.models import Axis
from karnameh.common.errors import DomainError
from karnameh.common.text import persian_digits
from karnameh.cycles.models import Cycle, Participation

from . import notices
from .models import Assignment, ConflictDeclaration
from .rules import ConflictOf
from .suggest import conflict_reason, eligible_roles


def _name(user: Any) -> str:
    return str(getattr(user, "display_name", "") or user.get_username())


def _check_axes(participation: Participation, scope: str, axes: Iterable[str]) -> list[str]:
    """The axis codes, checked against that part's catalogue; empty means the whole part."""
    codes = [str(code).strip() for code in axes if str(code).strip()]
    if not codes:
        return []
    catalogue_id = (
        participation.cycle.general_catalogue_id
        if scope == EvaluatorScope.GENERAL
        else participation.specific_catalogue_id
    )
    known = set(
        Axis.objects.filter(catalogue__pk=catalogue_id).values_list("code", flat=True)
        if catalogue_id is not None
        else ()
    )
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise DomainError(
            _("The catalogue of this part has no axis %(codes)s.")
            % {"codes": persian_digits("، ".join(unknown))},
            code="unknown_axes",
        )
    return sorted(set(codes), key=codes.index)


def _check_assignable(participation: Participation, evaluator: Any, scope: str) -> str:
    """The evaluator's origin if they may take this part of this agency; else a DomainError."""
    if scope not in EvaluatorScope.values:
        raise DomainError(_("Choose general or specific."), code="invalid_scope")
    role = eligible_roles(participation.cycle, scope).filter(user_id=evaluator.pk).first()
    if role is None:
        raise DomainError(
            _("%(name)s is not an active %(scope)s evaluator of this province.")
            % {"name": _name(evaluator), "scope": EvaluatorScope(scope).label},
            code="not_an_evaluator",
        )
    why = conflict_reason(evaluator, participation.agency)
    if why is not None:
        raise DomainError(
            _("%(name)s may not evaluate %(agency)s: %(why)s")
            % {"name": _name(evaluator), "agency": participation.agency.name, "why": why},
            code="conflict_of_interest",
        )
    if Assignment.objects.filter(
        participation=participation, evaluator=evaluator, scope=scope, removed_at__isnull=True
    ).exists():
        raise DomainError(
            _("%(name)s already evaluates the %(scope)s part of %(agency)s.")
            % {
                "name": _name(evaluator),
                "scope": EvaluatorScope(scope).label,
                "agency": participation.agency.name,
            },
            code="duplicate",
        )
    return role.evaluator_origin


def _locked_participation(participation: Participation) -> Participation:
    return (
        Participation.objects.select_for_update(of=("self",))
        .select_related("cycle", "agency")
        .get(pk=participation.pk)
    )


def _create(
    *, actor: Any, participation: Participation, evaluator: Any, scope: str, axes: Iterable[str]
) -> Assignment:
    origin = _check_assignable(participation, evaluator, scope)
    codes = _check_axes(participation, scope, axes)
    return Assignment.objects.create(
        participation=participation,
        evaluator=evaluator,
        scope=scope,
        origin=origin,
        axes=codes,
        assigned_by=actor,
        assigned_at=timezone.now(),
    )


def assignment_add(
    *,
    actor: Any,
    participation: Participation,
    evaluator: Any,
    scope: str,
    axes: Iterable[str] = (),
    reason: str = "",
    ip: str | None = None,
) -> Assignment:
    with transaction.atomic():
        locked = _locked_participation(participation)
        require(actor, "evaluation.assign", locked.cycle)
        assignment = _create(
            actor=actor, participation=locked, evaluator=evaluator, scope=scope, axes=axes
        )
        record(
            actor=actor,
            action="evaluation.assign",
            target=assignment,
            changes={
                "agency": locked.agency.code,
                "evaluator": evaluator.get_username(),
                "scope": scope,
                "origin": assignment.origin,
                "axes": assignment.axes,
            },
            reason=reason,
            ip=ip,
        )
        notices.assigned([assignment], actor)
    return assignment


def assignment_remove(
    *, actor: Any, assignment: Assignment, reason: str, ip: str | None = None
) -> Assignment:
    reason = reason.strip()
    with transaction.atomic():
        locked = (
            Assignment.objects.select_for_update(of=("self",))
            .select_related("participation__cycle", "participation__agency", "evaluator")
            .get(pk=assignment.pk)
        )
        require(actor, "evaluation.assign", locked.participation.cycle)
        if locked.removed_at is not None:
            raise DomainError(_("This assignment was already removed."), code="already_removed")
        if not reason:
            raise DomainError(_("Write why the assignment is removed."), code="reason_required")
        locked.removed_at = timezone.now()
        locked.removed_by = actor
        locked.removal_reason = reason
        locked.save(update_fields=["removed_at", "removed_by", "removal_reason"])
        record(
            actor=actor,
            action="evaluation.unassign",
            target=locked,
            changes={
                "agency": locked.participation.agency.code,
                "evaluator": locked.evaluator.get_username(),
                "scope": locked.scope,
            },
            reason=reason,
            ip=ip,
        )
        notices.unassigned(locked, actor, reason)
    return locked


def conflict_declare(
    *, actor: Any, evaluator: Any, agency: Agency, reason: str, ip: str | None = None
) -> ConflictDeclaration:
    reason = reason.strip()
    require(actor, "evaluation.conflict", ConflictOf(evaluator, agency))
    if not reason:
        raise DomainError(_("Write the reason for the conflict of interest."), code="reason")
    with transaction.atomic():
        if ConflictDeclaration.objects.filter(
            evaluator=evaluator, agency=agency, withdrawn_at__isnull=True
        ).exists():
            raise DomainError(
                _("A conflict of interest of %(name)s with %(agency)s is already declared.")
                % {"name": _name(evaluator), "agency": agency.name},
                code="already_declared",
            )
        declaration = ConflictDeclaration.objects.create(
            evaluator=evaluator,
            agency=agency,
            reason=reason,
            declared_by=actor,
            declared_at=timezone.now(),
        )
        record(
            actor=actor,
            action="evaluation.conflict",
            target=declaration,
            changes={"evaluator": evaluator.get_username(), "agency": agency.code},
            reason=reason,
            ip=ip,
        )
    return declaration


def conflict_withdraw(
    *, actor: Any, declaration: ConflictDeclaration, reason: str, ip: str | None = None
) -> ConflictDeclaration:
    """Staff lift a conflict declared in error; the declaration stays, marked withdrawn."""
    reason = reason.strip()
    with transaction.atomic():
        locked = (
            ConflictDeclaration.objects.select_for_update(of=("self",))
            .select_related("evaluator", "agency")
            .get(pk=declaration.pk)
        )
        require(actor, "evaluation.conflict_withdraw", locked)
        if locked.withdrawn_at is not None:
            raise DomainError(
                _("This declaration was already withdrawn."), code="already_withdrawn"
            )
        if not reason:
            raise DomainError(_("Write why the declaration is withdrawn."), code="reason_required")
        locked.withdrawn_at = timezone.now()
        locked.withdrawn_by = actor
        locked.withdrawal_reason = reason
        locked.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
        record(
            actor=actor,
            action="evaluation.conflict_withdraw",
            target=locked,
            changes={"evaluator": locked.evaluator.get_username(), "agency": locked.agency.code},
            reason=reason,
            ip=ip,
        )
    return locked


def assignments_apply(
    *,
    actor: Any,
    cycle: Cycle,
    scope: str,
    proposal: Sequence[tuple[Participation, Any]],
    ip: str | None = None,
) -> list[Assignment]:
    """Apply a suggestion all or nothing: one refused pair refuses them all."""
    if not proposal:
        raise DomainError(_("There is nothing to apply."), code="empty_proposal")
    with transaction.atomic():
        require(actor, "evaluation.assign", cycle)
        pks = sorted({participation.pk for participation, _evaluator in proposal})
        locked = {
            p.pk: p
            for p in Participation.objects.select_for_update(of=("self",))
            .select_related("cycle", "agency")
            .filter(pk__in=pks, cycle=cycle)
        }
        if len(locked) != len(pks):
            raise DomainError(
                _("The proposal names an agency that is not in this cycle."), code="wrong_cycle"
            )
        made = [
            _create(
                actor=actor,
                participation=locked[participation.pk],
                evaluator=evaluator,
                scope=scope,
                axes=(),
            )
            for participation, evaluator in proposal
        ]
        record(
            actor=actor,
            action="evaluation.apply_suggestion",
            target=cycle,
            changes={
                "scope": scope,
                "pairs": [[a.participation.agency.code, a.evaluator.get_username()] for a in made],
            },
            ip=ip,
        )
        notices.assigned(made, actor)
    return made
