"""The objection's transition table: which move goes from which states to which.

Who may make each move is in ``rules``; the services check both, under the objection's lock.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from karnameh.common.errors import DomainError

from .models import OPEN_STATES, Objection, ObjectionState


@dataclass(frozen=True)
class Move:
    sources: tuple[str, ...]
    target: str


MOVES: dict[str, Move] = {
    # Routing again (to another group) is allowed until the decision.
    "route": Move(OPEN_STATES, ObjectionState.ROUTED),
    "withdraw": Move(OPEN_STATES, ObjectionState.WITHDRAWN),
    "accept": Move((ObjectionState.ROUTED,), ObjectionState.ACCEPTED),
    "reject": Move((ObjectionState.ROUTED,), ObjectionState.REJECTED),
}


def check(objection: Objection, name: str) -> str:
    """The state ``name`` leads to from here, or a ``DomainError`` saying why not."""
    move = MOVES[name]
    if objection.state in move.sources:
        return move.target
    if name in ("accept", "reject") and objection.state == ObjectionState.FILED:
        message = _("The objection has not been routed to an expert group yet.")
    else:
        message = _("This objection is %(state)s; it can no longer be changed that way.") % {
            "state": objection.get_state_display()
        }
    raise DomainError(message, code="wrong_state")
