"""The cycles a user may see results of, and the public ranking."""

from typing import Any

from django.http import Http404

from karnameh.accounts.permissions import may, require
from karnameh.cycles.models import Cycle, CycleStatus
from karnameh.cycles.selectors import visible_cycle

from .models import Result
from .ranking import fixed_results, order


def results_cycle(user: Any, pk: int) -> Cycle:
    """The approvals page's cycle: 404 outside the user's sight, 403 off the organization."""
    cycle = visible_cycle(user, pk)
    require(user, "results.view", cycle)
    return cycle


def public_cycle(user: Any, pk: int) -> Cycle:
    """A cycle whose results are released; any other cycle is 404, even to staff."""
    cycle = (
        Cycle.objects.exclude(status=CycleStatus.DRAFT)
        .select_related("province")
        .filter(pk=pk)
        .first()
    )
    if cycle is None or not may(user, "results.public", cycle):
        raise Http404
    return cycle


def ranking(cycle: Cycle) -> list[Result]:
    """Fixed results, best first, in the ranking's order (``results.ranking`` breaks ties)."""
    return [result for _rank, result in order(fixed_results(cycle))]
