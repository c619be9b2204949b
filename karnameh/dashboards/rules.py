"""Who sees which dashboard (merged into accounts.permissions.RULES).

The cycle's dashboard lists every agency's progress, the evaluators' queues and open
objections: it is the organization's side of the province (staff, deputy, council members)
and the administrator's. An agency's dashboard is the agency's own (its users and its
performance office), its headquarters' (which approve its self-assessment) and the
organization's. Neither shows an evaluation score before the results are released; after it
the agency's dashboard shows its results (see docs/dashboards.md).
"""

from typing import Any

from karnameh.accounts.permissions import Rule, hq_of
from karnameh.results.rules import organization_side, own_agency


def sees_agency_dashboard(user: Any, participation: Any) -> bool:
    return (
        organization_side(user, participation.cycle)
        or own_agency(user, participation)
        or hq_of(user, participation.agency)
    )


RULES: dict[str, Rule] = {
    # obj: a cycle.
    "dashboard.cycle": organization_side,
    # obj: a participation.
    "dashboard.agency": sees_agency_dashboard,
}
