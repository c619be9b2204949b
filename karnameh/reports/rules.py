"""Who may do what in reports (merged into accounts.permissions.RULES).

The report card shows an agency's scores, ranks and peer comparisons, so it passes the
embargo (``scores.view``) and more:

- before the release: the organization's side of the province only (staff, deputy, council
  members, the administrator), who check the cards before they go out;
- after the release: also the agency itself (its users and performance office), its HQ and
  the national organization's viewers. Evaluators, assessing bodies, other agencies and the
  public get the public portal, not the card.

The improvement plan is the agency's own: its users and performance office write it, only
after the release.
"""

from typing import Any

from karnameh.accounts.models import Role
from karnameh.accounts.permissions import Rule, has_role, hq_of, may
from karnameh.results.locks import is_released
from karnameh.results.rules import organization_side, own_agency


def sees_card(user: Any, participation: Any) -> bool:
    """obj: a participation."""
    if not may(user, "scores.view", participation):
        return False
    cycle = participation.cycle
    if organization_side(user, cycle):
        return True
    if not is_released(cycle):
        return False
    return (
        own_agency(user, participation)
        or hq_of(user, participation.agency)
        or has_role(user, Role.NATIONAL)
    )


def writes_plan(user: Any, participation: Any) -> bool:
    """obj: a participation."""
    return is_released(participation.cycle) and own_agency(user, participation)


def reads_province_report(user: Any, cycle: Any) -> bool:
    """The province report (step 11), obj: a cycle: the organization's side of the province
    always; after the release also the national organization, which gathers the provinces'
    results. Never HQs, agencies or the public: it names each agency's objections and each
    assessing body's punctuality (docs/reports.md, "Province report")."""
    return organization_side(user, cycle) or (has_role(user, Role.NATIONAL) and is_released(cycle))


RULES: dict[str, Rule] = {
    "reports.card": sees_card,
    "reports.plan": writes_plan,
    # obj: a cycle. Every card of the cycle as a ZIP of PDFs (a background job).
    "reports.cards_all": organization_side,
    # obj: a cycle. The province report (step 11).
    "reports.province": reads_province_report,
}
