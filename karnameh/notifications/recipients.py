"""Who hears about what: each selector is one query for the active users holding a role.

Roles are read from active ``RoleAssignment`` rows, matched on the exact agency or province
(an agency's users are not its parent's, an HQ user is the HQ's own).
"""

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from karnameh.accounts.models import Role, RoleAssignment, User


def _holders(roles: Iterable[str], **scope: object) -> QuerySet[User]:
    # A subquery rather than a join: one row per person however many roles match.
    assignments = RoleAssignment.objects.filter(is_active=True, role__in=list(roles), **scope)
    return User.objects.filter(is_active=True, pk__in=assignments.values("user_id")).order_by("pk")


def agency_users(agency_ids: Iterable[int]) -> QuerySet[User]:
    """The agency's own users (role ``agency``)."""
    return _holders([Role.AGENCY], agency_id__in=list(agency_ids))


def office_users(agency_ids: Iterable[int]) -> QuerySet[User]:
    """The agency's performance office."""
    return _holders([Role.PERFORMANCE_OFFICE], agency_id__in=list(agency_ids))


def agency_side(agency_ids: Iterable[int]) -> QuerySet[User]:
    """Agency users and performance offices together."""
    return _holders([Role.AGENCY, Role.PERFORMANCE_OFFICE], agency_id__in=list(agency_ids))


def hq_users(hq_ids: Iterable[int | None]) -> QuerySet[User]:
    """HQ users of these HQs (pass the agencies' ``headquarters_id``)."""
    return _holders([Role.HQ], agency_id__in=[pk for pk in hq_ids if pk is not None])


def province_users(province_id: int | None, roles: Iterable[str]) -> QuerySet[User]:
    """Holders of province-scoped roles (staff, evaluator, deputy, council) in one province."""
    if province_id is None:
        return User.objects.none()
    return _holders(roles, province_id=province_id)


def national_users() -> QuerySet[User]:
    """The national organization's users (their role has no province or agency)."""
    return _holders([Role.NATIONAL])


def cycle_audience(agency_ids: Iterable[int], hq_ids: Iterable[int | None]) -> QuerySet[User]:
    """Agency-side users of the participating agencies and HQ users of their HQs."""
    agencies, hqs = list(agency_ids), [pk for pk in hq_ids if pk is not None]
    wanted = Q(role__in=[Role.AGENCY, Role.PERFORMANCE_OFFICE], agency_id__in=agencies)
    wanted |= Q(role=Role.HQ, agency_id__in=hqs)
    assignments = RoleAssignment.objects.filter(wanted, is_active=True)
    return User.objects.filter(is_active=True, pk__in=assignments.values("user_id")).order_by("pk")
