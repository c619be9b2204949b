"""Steps 10–11 and publication: each change locked, checked, saved and audited in one transaction.

The cycle row is locked (``select_for_update``) by each service, so two approvals, or an
approval and a reopening, never interleave.
"""

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from karnameh.accounts.permissions import require
from karnameh.audit.services import record
from karnameh.common.errors import DomainError
from karnameh.common.text import persian_digits
from karnameh.cycles.models import Cycle
from karnameh.cycles.services import lock_cycle
from karnameh.files.services import DOCUMENT_KINDS, store_upload
from karnameh.scoring import collector_paused
from karnameh.scoring.numbers import written
from karnameh.scoring.weights import Part as WeightedPart
from karnameh.scoring.weights import check_composition, compose, weighted_total

from . import notices
from .breakdown import breakdown
from .locks import approvals_in_force, is_released
from .models import Approval, Release, Result, Stage
from .readiness import AgencyReadiness, Readiness, readiness


def _refuse_released(cycle: Cycle) -> None:
    if is_released(cycle):
        raise DomainError(
            _("The results of this cycle are already published; they can no longer change."),
            code="released",
        )


def _not_ready(found: Readiness) -> str:
    """One message naming everything that holds the cycle up (at most a few agencies)."""
    lines = []
    if found.window_open:
        lines.append(_("the objection window (step 9) has not closed yet"))
    for row in found.blocked[:5]:
        why = []
        if row.unapproved:
            names = "، ".join(
                a.evaluator.get_full_name() or a.evaluator.username for a in row.unapproved
            )
            why.append(_("no initial approval from %(names)s") % {"names": names})
        if row.pending:
            why.append(
                _("gauges without a score: %(codes)s")
                % {"codes": persian_digits("، ".join(row.pending[:8]))}
            )
        if row.unnoted:
            why.append(row.unnoted_text)
        if row.card.open_objections:
            why.append(
                _("%(count)s objections not decided")
                % {"count": persian_digits(row.card.open_objections)}
            )
        lines.append(f"{row.participation.agency.name}: {'؛ '.join(why)}")
    more = len(found.blocked) - 5
    if more > 0:
        lines.append(_("and %(count)s more agencies") % {"count": persian_digits(more)})
    return _("The scores cannot be approved yet: %(reasons)s.") % {"reasons": " — ".join(lines)}


def _fixed(row: AgencyReadiness, now: Any) -> Result:
    """The agency's totals as approved: the organization's score and its self-assessment."""
    p = row.participation
    composition = check_composition(p.cycle.composition)
    card = row.card
    own = {
        c.part: WeightedPart(weighted_total(c.self_result, _weights(p, c)).total, c.self_result.max)
        for c in card.parts
    }
    general = card.part("general")
    specific = card.part("specific")
    assert general is not None
    axes, gauges = breakdown(card)
    return Result(
        participation=p,
        self_total=compose(composition, own).final,
        general=general.weighted,
        general_max=general.result.max,
        specific=specific.weighted if specific else None,
        specific_max=specific.result.max if specific else None,
        final=card.composed.final,
        explanation=card.composed.explanation,
        fixed_at=now,
        axes=axes,
        gauges=gauges,
    )


def fix_results(rows: list[AgencyReadiness], now: Any) -> list[Result]:
    """Write every agency's totals in a few statements (insert, or rewrite after a reopening).

    One upsert per 500 agencies, not two queries per agency (``update_or_create``): the
    national recomputation writes 3,100 of them (bench/national.py, docs/performance.md).
    """
    with collector_paused():
        results = [_fixed(row, now) for row in rows]
    Result.objects.bulk_create(
        results,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["participation"],
        # Every field a final approval rewrites: all but the key and the participation.
        update_fields=[
            f.name for f in Result._meta.concrete_fields if f.name not in ("id", "participation")
        ],
    )
    return results


def _weights(p: Any, card: Any) -> Any:
    from karnameh.evaluations.final import part_weights

    return part_weights(p, card.sheet)


def final_approve(*, actor: Any, cycle: Cycle, note: str = "", ip: str | None = None) -> Approval:
    """The deputy's final approval of every score (step 10): fixes the totals and locks them."""
    with transaction.atomic():
        locked = lock_cycle(cycle)
        require(actor, "results.approve", locked)
        _refuse_released(locked)
        if Stage.DEPUTY in approvals_in_force(locked):
            raise DomainError(
                _("The deputy has already given the final approval of this cycle's scores."),
                code="already_approved",
            )
        found = readiness(locked)
        if not found.ready:
            raise DomainError(_not_ready(found), code="not_ready")
        now = timezone.now()
        results = fix_results(found.agencies, now)
        approval = Approval.objects.create(
            cycle=locked, stage=Stage.DEPUTY, approved_by=actor, approved_at=now, note=note.strip()
        )
        record(
            actor=actor,
            action="results.approve",
            target=locked,
            changes={
                "stage": Stage.DEPUTY,
                "results": {r.participation.agency.code: written(r.final) for r in results},
            },
            ip=ip,
        )
        notices.approved(locked, actor, Stage.DEPUTY)
    return approval


def council_approve(
    *,
    actor: Any,
    cycle: Cycle,
    minutes: UploadedFile | None,
    note: str = "",
    ip: str | None = None,
) -> Approval:
    """The steering council's approval of the ranking (step 11), recorded with its minutes.

    Two-person rule: the member who records it may not be the deputy who gave the final
    approval, even when one account holds both roles.
    """
    with transaction.atomic():
        locked = lock_cycle(cycle)
        require(actor, "results.council", locked)
        _refuse_released(locked)
        held = approvals_in_force(locked)
        deputy = held.get(Stage.DEPUTY)
        if deputy is None:
            raise DomainError(
                _("The council approves the ranking after the deputy's final approval."),
                code="no_final_approval",
            )
        if Stage.COUNCIL in held:
            raise DomainError(
                _("The council's approval of this ranking is already recorded."),
                code="already_approved",
            )
        if deputy.approved_by_id == actor.pk:
            raise DomainError(
                _(
                    "The council's approval must be recorded by someone other than the deputy "
                    "who gave the final approval."
                ),
                code="same_person",
            )
        if minutes is None:
            raise DomainError(
                _("Attach the minutes (صورت‌جلسه) of the council's meeting."),
                code="minutes_required",
            )
        stored = store_upload(upload=minutes, actor=actor, allowed=DOCUMENT_KINDS)
        approval = Approval.objects.create(
            cycle=locked,
            stage=Stage.COUNCIL,
            approved_by=actor,
            approved_at=timezone.now(),
            note=note.strip(),
            minutes=stored,
        )
        record(
            actor=actor,
            action="results.council",
            target=locked,
            changes={"stage": Stage.COUNCIL, "minutes": stored.name},
            ip=ip,
        )
        notices.approved(locked, actor, Stage.COUNCIL)
    return approval


def reopen(*, actor: Any, cycle: Cycle, reason: str, ip: str | None = None) -> list[Approval]:
    """The deputy withdraws the approvals in force so scores may change again, with a reason."""
    reason = reason.strip()
    with transaction.atomic():
        locked = lock_cycle(cycle)
        require(actor, "results.reopen", locked)
        _refuse_released(locked)
        if not reason:
            raise DomainError(_("Write the reason for reopening the scores."), code="reason")
        held = list(approvals_in_force(locked).values())
        if not held:
            raise DomainError(
                _("The scores of this cycle are not approved; there is nothing to reopen."),
                code="not_approved",
            )
        now = timezone.now()
        for approval in held:
            approval.withdrawn_at, approval.withdrawn_by = now, actor
            approval.withdrawal_reason = reason
            approval.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
        record(
            actor=actor,
            action="results.reopen",
            target=locked,
            changes={"withdrawn": [a.stage for a in held], "reason": reason},
            ip=ip,
        )
        notices.reopened(locked, actor, reason)
    return held


def publish(*, actor: Any, cycle: Cycle, ip: str | None = None) -> Release:
    """The one explicit act that releases the results to agencies, the nation and the public."""
    with transaction.atomic():
        locked = lock_cycle(cycle)
        require(actor, "results.publish", locked)
        _refuse_released(locked)
        held = approvals_in_force(locked)
        missing = [s.label for s in (Stage.DEPUTY, Stage.COUNCIL) if s not in held]
        if missing:
            raise DomainError(
                _("The results cannot be published before %(missing)s.")
                % {"missing": _(" and ").join(str(m) for m in missing)},
                code="not_approved",
            )
        release = Release.objects.create(
            cycle=locked, released_by=actor, released_at=timezone.now()
        )
        locked._released = True  # type: ignore[attr-defined]
        record(actor=actor, action="results.publish", target=locked, changes={}, ip=ip)
        notices.published(locked)
    return release
