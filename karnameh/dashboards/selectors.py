"""The cycle or participation a dashboard is about, through what the reader may see.

Outside the reader's sight (another province, a cycle they have no part in) is "not found";
a cycle or agency they see but whose dashboard is not theirs is "forbidden".
"""

from typing import Any

from karnameh.accounts.permissions import require
from karnameh.cycles.models import Cycle, Participation
from karnameh.cycles.selectors import visible_cycle, visible_participation


def dashboard_cycle(user: Any, pk: int) -> Cycle:
    cycle = visible_cycle(user, pk)
    require(user, "dashboard.cycle", cycle)
    return cycle


def dashboard_participation(user: Any, cycle: int, agency: str) -> Participation:
    participation = visible_participation(user, cycle, agency)
    require(user, "dashboard.agency", participation)
    return participation
