"""Who may do what with surveys, complaints and suggestions (merged into RULES).

An agency's own users (its agency and performance-office roles) write and read their agency's
feedback; the modernization group staff of the agency's province read and answer it; the
administrator reads everything. Either side may close it.
"""

from typing import Any

from karnameh.accounts.models import Role
from karnameh.accounts.permissions import (
    AGENCY_SCOPED,
    Rule,
    agency_role,
    has_role,
    province_role,
)


def writes_for(user: Any, agency: Any) -> bool:
    """An agency-side user of this very agency (or, with no agency named, of any)."""
    if agency is None:
        return has_role(user, *AGENCY_SCOPED)
    return agency_role(user, agency, *AGENCY_SCOPED)


def answers(user: Any, feedback: Any) -> bool:
    if feedback is None:
        return has_role(user, Role.STAFF)
    return province_role(user, feedback.agency.province_id, Role.STAFF)


def sees_feedback(user: Any, feedback: Any) -> bool:
    return (
        has_role(user, Role.ADMIN) or answers(user, feedback) or writes_for(user, feedback.agency)
    )


RULES: dict[str, Rule] = {
    "feedback.list": lambda u, _o: has_role(u, Role.ADMIN, Role.STAFF, *AGENCY_SCOPED),
    "feedback.view": sees_feedback,
    "feedback.create": writes_for,
    "feedback.answer": answers,
    "feedback.close": lambda u, o: answers(u, o) or writes_for(u, o.agency),
}
