"""The self-assessment's transition table (steps 6 and 7): from where, to where, by whom.

The agency submits; its performance office records the steering council's approval (minutes
attached); the HQ above it approves where there is one; then it is transferred to the
organization (by the HQ, or by the performance office where the agency has no HQ above it).
Every step back is taken only by the role that took the step forward, with a reason; a
transferred self-assessment goes back only by the organization's staff.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from karnameh.accounts.models import Role
from karnameh.accounts.permissions import AGENCY_SCOPED, agency_role, hq_of
from karnameh.common.errors import DomainError, Forbidden
from karnameh.cycles.models import AssessmentState as S
from karnameh.cycles.rules import manages_cycle
from karnameh.cycles.steps import SELF_ASSESSMENT, TRANSFER

Who = Callable[[Any, Any], bool]


def _agency(user: Any, p: Any) -> bool:
    return agency_role(user, p.agency, *AGENCY_SCOPED)


def _office(user: Any, p: Any) -> bool:
    return agency_role(user, p.agency, Role.PERFORMANCE_OFFICE)


def _hq(user: Any, p: Any) -> bool:
    return hq_of(user, p.agency)


def has_hq(p: Any) -> bool:
    """Provincial units and affiliated organizations have an HQ above them; HQs do not."""
    hq = p.agency.headquarters_id
    return hq is not None and hq != p.agency_id


def _office_without_hq(user: Any, p: Any) -> bool:
    return not has_hq(p) and _office(user, p)


def _staff(user: Any, p: Any) -> bool:
    return manages_cycle(user, p.cycle)


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]
    target: str
    who: Who
    label: Any
    # The step whose deadline (or the agency's extension) closes this transition; None: never.
    step: int | None = SELF_ASSESSMENT
    needs_reason: bool = False
    needs_minutes: bool = False
    # Backwards moves send the self-assessment back to the agency with notes.
    returns: bool = False

    def allows(self, user: Any, participation: Any) -> bool:
        return bool(self.who(user, participation))


ROWS: tuple[Transition, ...] = (
    Transition("submit", (S.NOT_STARTED, S.DRAFT), S.SUBMITTED, _agency, _("Submit")),
    Transition(
        "withdraw", (S.SUBMITTED,), S.DRAFT, _agency, _("Withdraw to edit"), needs_reason=True
    ),
    Transition(
        "office_approve",
        (S.SUBMITTED,),
        S.OFFICE_APPROVED,
        _office,
        _("Record the steering council's approval"),
        step=TRANSFER,
        needs_minutes=True,
    ),
    Transition(
        "office_return",
        (S.SUBMITTED,),
        S.DRAFT,
        _office,
        _("Return to the agency with notes"),
        step=TRANSFER,
        needs_reason=True,
        returns=True,
    ),
    Transition(
        "office_revoke",
        (S.OFFICE_APPROVED,),
        S.SUBMITTED,
        _office,
        _("Revoke the council's approval"),
        step=TRANSFER,
        needs_reason=True,
    ),
    Transition(
        "hq_approve",
        (S.OFFICE_APPROVED,),
        S.HQ_APPROVED,
        _hq,
        _("Approve as headquarters"),
        step=TRANSFER,
    ),
    Transition(
        "hq_return",
        (S.OFFICE_APPROVED,),
        S.DRAFT,
        _hq,
        _("Return to the agency with notes"),
        step=TRANSFER,
        needs_reason=True,
        returns=True,
    ),
    Transition(
        "hq_revoke",
        (S.HQ_APPROVED,),
        S.OFFICE_APPROVED,
        _hq,
        _("Revoke the headquarters' approval"),
        step=TRANSFER,
        needs_reason=True,
    ),
    Transition(
        "transfer",
        (S.HQ_APPROVED,),
        S.TRANSFERRED,
        _hq,
        _("Transfer to the organization"),
        step=TRANSFER,
    ),
    Transition(
        "transfer",
        (S.OFFICE_APPROVED,),
        S.TRANSFERRED,
        _office_without_hq,
        _("Transfer to the organization"),
        step=TRANSFER,
    ),
    Transition(
        "return_transfer",
        (S.TRANSFERRED,),
        S.DRAFT,
        _staff,
        _("Return to the agency with notes"),
        step=None,
        needs_reason=True,
        returns=True,
    ),
)

TRANSITIONS: dict[str, tuple[Transition, ...]] = {}
for _row in ROWS:
    TRANSITIONS[_row.name] = (*TRANSITIONS.get(_row.name, ()), _row)

# Answers and evidence change only in these states (and before the entry deadline).
EDITABLE = (S.NOT_STARTED, S.DRAFT)


def find(name: str, participation: Any) -> Transition | None:
    """The row for this transition from the participation's state, if there is one."""
    for row in TRANSITIONS.get(name, ()):
        if participation.state in row.sources:
            return row
    return None


def check(user: Any, name: str, participation: Any) -> Transition:
    """The transition's row from the participation's state, if this user may take it.

    Refuses with the same answers wherever it is asked (the service, the confirm page): no
    row from this state is "not now" (``bad_state``); a row for another role is ``Forbidden``.
    """
    row = find(name, participation)
    if row is None:
        raise DomainError(
            gettext("This cannot be done while the self-assessment is “%(state)s”.")
            % {"state": participation.get_state_display()},
            code="bad_state",
        )
    if not row.allows(user, participation):
        raise Forbidden()
    return row


def available(user: Any, participation: Any) -> list[Transition]:
    """What this user may do to this self-assessment now (deadlines are checked on acting)."""
    return [
        row
        for row in ROWS
        if participation.state in row.sources and row.allows(user, participation)
    ]
