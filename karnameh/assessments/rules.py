"""Who may do what with self-assessments (merged into RULES).

Transitions are checked against assessments.workflow (which names the roles for each); these
rules cover reading and editing.
"""

from typing import Any

from karnameh.accounts.permissions import AGENCY_SCOPED, Rule, agency_role, has_role
from karnameh.cycles.rules import manages_cycle, sees_participation


def edits_assessment(user: Any, participation: Any) -> bool:
    """The agency's own users and performance office; not its parent, HQ or the organization."""
    return agency_role(user, participation.agency, *AGENCY_SCOPED)


def _transition(name: str) -> Rule:
    def rule(user: Any, participation: Any) -> bool:
        from .workflow import TRANSITIONS

        found = TRANSITIONS[name]
        return any(row.allows(user, participation) for row in found)

    return rule


RULES: dict[str, Rule] = {
    "assessment.view": sees_participation,
    # The menu's «my self-assessment»: the agency's own users and performance office.
    "assessment.mine": lambda u, _o: has_role(u, *AGENCY_SCOPED),
    "assessment.edit": edits_assessment,
    "evidence.download": sees_participation,
    # Staff give one agency more time, with a reason and a new deadline.
    "assessment.extend": lambda u, o: manages_cycle(u, o.cycle),
    **{
        f"assessment.{name}": _transition(name)
        for name in (
            "submit",
            "withdraw",
            "office_approve",
            "office_return",
            "office_revoke",
            "hq_approve",
            "hq_return",
            "hq_revoke",
            "transfer",
            "return_transfer",
        )
    },
}
