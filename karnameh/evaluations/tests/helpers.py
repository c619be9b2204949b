"""Evaluators and state snapshots for the tests, on top of the ``demo`` fixture."""

from typing import Any

from karnameh.accounts.models import Role, RoleAssignment, User
from karnameh.agencies.models import Agency, Province
from karnameh.audit.models import AuditEvent
from karnameh.evaluations.models import Assignment, ConflictDeclaration

SEVEN = ("AR-ED", "AR-HE", "AR-EF", "AR-TAX", "AR-CUS", "AR-RD", "AR-AG")


def evaluator(
    username: str,
    *,
    scope: str = "general",
    origin: str = "external",
    province: str = "ardabil",
    works_for: str | None = None,
    role: str = Role.AGENCY,
) -> User:
    """An evaluator of the province; ``works_for`` also gives them an agency-side role there."""
    user = User.objects.create_user(username=username, password="x")
    RoleAssignment.objects.create(
        user=user,
        role=Role.EVALUATOR,
        province=Province.objects.get(code=province),
        evaluator_scope=scope,
        evaluator_origin=origin,
    )
    if works_for is not None:
        RoleAssignment.objects.create(
            user=user, role=role, agency=Agency.objects.get(code=works_for)
        )
    return user


def county_unit(code: str) -> Agency:
    """One county office under a provincial unit (the demo gives AR-ED several)."""
    return Agency.objects.filter(parent__code=code).order_by("code").first()  # type: ignore[return-value]


def state() -> tuple[list[Any], int, int]:
    """Everything a refused change must leave as it was."""
    return (
        list(
            Assignment.objects.order_by("pk").values_list(
                "participation", "evaluator", "scope", "axes", "removed_at"
            )
        ),
        ConflictDeclaration.objects.count(),
        AuditEvent.objects.count(),
    )
