"""The cycle an export is of, checked once for every export, page and API answer alike."""

from typing import Any

from karnameh.accounts.permissions import require
from karnameh.cycles.models import Cycle
from karnameh.cycles.selectors import visible_cycle


def export_cycle(user: Any, pk: int, action: str) -> Cycle:
    """A cycle outside the user's sight is "not found" (404); one they see but may not export
    from is "forbidden" (403)."""
    cycle = visible_cycle(user, pk)
    require(user, action, cycle)
    return cycle
