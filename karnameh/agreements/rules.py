"""Who may do what with MoUs and specific indicators (merged into RULES).

The object is the agreement's participation. The agency side is the agency's own users and its
performance office; the organization side is the staff of the cycle's province.
"""

from typing import Any

from karnameh.accounts.models import Role
from karnameh.accounts.permissions import (
    AGENCY_SCOPED,
    PROVINCE_WIDE,
    Rule,
    agency_role,
    has_role,
    province_role,
)
from karnameh.cycles.rules import manages_cycle, sees_participation


def agency_side(user: Any, participation: Any) -> bool:
    return participation is not None and agency_role(user, participation.agency, *AGENCY_SCOPED)


def organization_side(user: Any, participation: Any) -> bool:
    return participation is not None and manages_cycle(user, participation.cycle)


def sees_cycle_agreements(user: Any, cycle: Any) -> bool:
    """Every agency's MoU in a cycle: the organization's side of its province."""
    return has_role(user, Role.ADMIN, Role.NATIONAL) or (
        cycle is not None and province_role(user, cycle.province_id, *PROVINCE_WIDE)
    )


RULES: dict[str, Rule] = {
    # The object is the cycle.
    "agreement.list": sees_cycle_agreements,
    "agreement.view": lambda u, o: sees_participation(u, o),
    # Drafting a version's targets: either side.
    "agreement.change": lambda u, o: agency_side(u, o) or organization_side(u, o),
    "agreement.approve_agency": lambda u, o: (
        agency_role(u, o.agency, Role.PERFORMANCE_OFFICE) or agency_role(u, o.agency, Role.AGENCY)
    ),
    "agreement.approve_organization": organization_side,
    # Seed 000 item 7: no agreement by the deadline, the organization sets the targets.
    "agreement.impose": organization_side,
    "agreement.import": lambda u, o: manages_cycle(u, o),
    # Which specific catalogue (or provincial slice) an agency is evaluated on.
    "specific.assign": organization_side,
}
