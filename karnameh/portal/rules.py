"""Who may do what in portal (merged into accounts.permissions.RULES)."""

from typing import Any

from karnameh.accounts.permissions import Rule
from karnameh.results.locks import is_released


def _open(_user: Any, cycle: Any) -> bool:
    # The same answer for everyone, staff included: before the release a cycle has no portal
    # page at all (seed 002: nothing is announced before the evaluation ends).
    return is_released(cycle)


RULES: dict[str, Rule] = {
    # obj: a cycle. Its portal pages (ranking, agency pages, the API twins).
    "portal.view": _open,
}
