"""Whether a cycle's scores may still change, and whether its results are public.

After the deputy's final approval every score is locked (reviews, consensus notes, inquiry
answers, objection decisions): each of those services calls ``refuse_if_locked`` under its
row lock. Only the deputy's reasoned reopening (``results.services.reopen``) unlocks them.
"""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from karnameh.common.errors import DomainError

from .models import Approval, Release, Stage


def approvals_in_force(cycle: Any) -> dict[str, Approval]:
    """stage -> the approval in force (at most one per stage)."""
    return {
        a.stage: a
        for a in Approval.objects.filter(cycle=cycle, withdrawn_at__isnull=True).select_related(
            "approved_by"
        )
    }


def deputy_approval(cycle: Any) -> QuerySet[Approval]:
    """The deputy's approval in force; ``cycle`` may be an ``OuterRef``
    (``assessments.services.lock_participation``)."""
    return Approval.objects.filter(cycle=cycle, stage=Stage.DEPUTY, withdrawn_at__isnull=True)


def scores_locked(cycle: Any) -> bool:
    # Read with the row lock by a service that locked it (``lock_participation``): not again.
    known = getattr(cycle, "_scores_locked", None)
    if known is not None:
        return bool(known)
    return deputy_approval(cycle).exists()


def refuse_if_locked(cycle: Any) -> None:
    if scores_locked(cycle):
        raise DomainError(
            _(
                "The deputy has given the final approval of this cycle's scores; nothing can "
                "change unless the deputy reopens them with a reason."
            ),
            code="scores_locked",
        )


def is_released(cycle: Any) -> bool:
    """Results are public (seed 002: nothing is announced before the evaluation ends)."""
    cached = getattr(cycle, "_released", None)
    if cached is None:
        cached = Release.objects.filter(cycle=cycle).exists()
        cycle._released = cached
    return bool(cached)
