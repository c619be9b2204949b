"""The one place that decides "may this user do X to this object", and what lists they see.

Every view and API endpoint asks ``may()`` (or ``require()``); every list comes from a
``visible_*`` selector here. An action is a dotted name; its rule is a plain function of the
user's active role assignments and the object. Actions not listed here are refused.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db.models import Aggregate, JSONField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import JSONArray

from karnameh.agencies.models import Agency
from karnameh.common.errors import Forbidden

from .models import Role, RoleAssignment, TotpDevice, User


@dataclass(frozen=True)
class Grant:
    """One active role assignment, reduced to what rules look at."""

    role: str
    province_id: int | None
    agency_id: int | None
    assessing_body_id: int | None


_GRANT_FIELDS = ("role", "province_id", "agency_id", "assessing_body_id")


def grants(user: Any) -> tuple[Grant, ...]:
    """The user's active roles, read once per request and kept on the user object (read with
    the user itself when it was read through ``users_with_grants``)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ()
    cached = getattr(user, "_karnameh_grants", None)
    if cached is None:
        rows = RoleAssignment.objects.filter(user=user, is_active=True).values_list(*_GRANT_FIELDS)
        cached = tuple(Grant(*row) for row in rows)
        user._karnameh_grants = cached
    return cached


class _JSONRows(Aggregate):
    """The grouped rows' values as one JSON array."""

    function = "JSONB_AGG"
    output_field = JSONField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(compiler, connection, function="JSON_GROUP_ARRAY", **extra)


@cache
def users_with_grants() -> QuerySet[User]:
    """Users, each read with its active roles in the same query (``keep_grants`` puts them
    where ``grants`` looks). Every signed-in request reads its user: this saves it a query.

    Built once per process (building the subquery costs as much as the query it saves); the
    caller always narrows it (``.get()``, ``.filter()``), which copies it, so the one kept here
    is never evaluated and holds no rows.
    """
    rows = (
        RoleAssignment.objects.filter(user=OuterRef("pk"), is_active=True)
        .order_by()
        .values("user")
        .annotate(rows=_JSONRows(JSONArray(*_GRANT_FIELDS)))
        .values("rows")
    )
    return User.objects.annotate(grant_rows=Subquery(rows, output_field=JSONField()))


def keep_grants(user: User) -> User:
    """A user read through ``users_with_grants``, with its roles kept for ``grants``."""
    rows = getattr(user, "grant_rows", None) or ()
    user._karnameh_grants = tuple(Grant(*row) for row in rows)  # type: ignore[attr-defined]
    return user


def has_role(user: Any, *roles: str) -> bool:
    return any(g.role in roles for g in grants(user))


# Roles that see every agency in a province (the organization's side of the cycle).
PROVINCE_WIDE = (Role.STAFF, Role.DEPUTY, Role.COUNCIL)
# Roles that see one agency and everything under it.
AGENCY_SCOPED = (Role.AGENCY, Role.PERFORMANCE_OFFICE)
# Roles offered two-step sign-in (an authenticator app): those who score, approve and
# administer.
TOTP_ROLES = (Role.ADMIN, Role.STAFF, Role.EVALUATOR, Role.DEPUTY, Role.COUNCIL)


def _agency_filter(user: Any) -> Q | None:
    """The agencies a user may see, as one filter; None means all of them."""
    found = grants(user)
    if any(g.role in (Role.ADMIN, Role.NATIONAL) for g in found):
        return None
    condition = Q(pk__in=[])
    provinces = {g.province_id for g in found if g.role in PROVINCE_WIDE}
    if provinces:
        condition |= Q(province_id__in=provinces)
    own = {g.agency_id for g in found if g.role in AGENCY_SCOPED}
    if own:
        condition |= Q(pk__in=own) | Q(parent_id__in=own)
    hqs = {g.agency_id for g in found if g.role == Role.HQ}
    if hqs:
        # An HQ user sees the HQ and every unit under it (its tree, kept in `headquarters`).
        condition |= Q(headquarters_id__in=hqs) | Q(pk__in=hqs)
    return condition


def visible_agencies(user: Any) -> QuerySet[Agency]:
    """Agencies this user may see. Others are reported as "not found", never "forbidden"."""
    queryset = Agency.objects.select_related("province", "agency_type", "parent")
    if not grants(user):
        return queryset.none()
    condition = _agency_filter(user)
    return queryset if condition is None else queryset.filter(condition)


def sees_agency(user: Any, agency: Agency) -> bool:
    """Whether ``agency`` is one of ``visible_agencies(user)``, decided from the grants and the
    agency's own columns without a query: the same conditions as ``_agency_filter``, for the
    checks every request makes (tests/access compares the two for every user and agency)."""
    found = grants(user)
    if not found:
        return False
    if any(g.role in (Role.ADMIN, Role.NATIONAL) for g in found):
        return True
    # None never matches, as in SQL (``province_id IN (…)`` is not true for NULL).
    provinces = {g.province_id for g in found if g.role in PROVINCE_WIDE} - {None}
    own = {g.agency_id for g in found if g.role in AGENCY_SCOPED} - {None}
    hqs = {g.agency_id for g in found if g.role == Role.HQ} - {None}
    return (
        agency.province_id in provinces
        or agency.pk in own
        or agency.parent_id in own
        or agency.headquarters_id in hqs
        or agency.pk in hqs
    )


def _manages_agency(user: Any, agency: Agency | None) -> bool:
    """Staff edit their own province's registry; the administrator edits all of it."""
    if has_role(user, Role.ADMIN):
        return True
    if agency is None:
        return has_role(user, Role.STAFF)
    return any(
        g.role == Role.STAFF and g.province_id is not None and g.province_id == agency.province_id
        for g in grants(user)
    )


def catalogue_provinces(user: Any) -> frozenset[int] | None:
    """Provinces whose own catalogues the user sees, besides the shared ones; None: all.

    Province-scoped roles see their province's; agency users their agency's province; the
    administrator, national viewers and HQs (whose units are in every province) see all.
    Read once per request and kept on the user object, like the grants.
    """
    found = grants(user)
    if any(g.role in (Role.ADMIN, Role.NATIONAL, Role.HQ) for g in found):
        return None
    cached = getattr(user, "_karnameh_catalogue_provinces", None)
    if cached is None:
        provinces = {g.province_id for g in found if g.province_id is not None}
        agencies = {g.agency_id for g in found if g.role in AGENCY_SCOPED}
        if agencies:
            provinces |= set(
                Agency.objects.filter(pk__in=agencies, province__isnull=False).values_list(
                    "province_id", flat=True
                )
            )
        cached = frozenset(p for p in provinces if p is not None)
        user._karnameh_catalogue_provinces = cached
    return cached


def _sees_catalogue(user: Any, catalogue: Any) -> bool:
    """Shared catalogues (no province) are everyone's with a role; others their province's."""
    if not grants(user) or catalogue is None:
        return bool(grants(user))
    provinces = catalogue_provinces(user)
    return catalogue.province_id is None or provinces is None or catalogue.province_id in provinces


def _manages_catalogue(user: Any, catalogue: Any) -> bool:
    """The administrator manages every catalogue; staff those of their own province only."""
    if has_role(user, Role.ADMIN):
        return True
    if catalogue is None:
        return has_role(user, Role.STAFF)
    return any(
        g.role == Role.STAFF
        and g.province_id is not None
        and g.province_id == catalogue.province_id
        for g in grants(user)
    )


def province_role(user: Any, province_id: int | None, *roles: str) -> bool:
    """Holds one of ``roles`` in that province (staff, deputy, council, evaluator)."""
    return province_id is not None and any(
        g.role in roles and g.province_id == province_id for g in grants(user)
    )


def agency_role(user: Any, agency: Agency, *roles: str) -> bool:
    """Holds one of ``roles`` for this very agency (not its parent, not its units)."""
    return any(g.role in roles and g.agency_id == agency.pk for g in grants(user))


def hq_of(user: Any, agency: Agency) -> bool:
    """An HQ user of the HQ above this agency (an HQ is not its own HQ here)."""
    hq = agency.headquarters_id
    return hq is not None and hq != agency.pk and agency_role_id(user, hq, Role.HQ)


def agency_role_id(user: Any, agency_id: int, *roles: str) -> bool:
    return any(g.role in roles and g.agency_id == agency_id for g in grants(user))


Rule = Callable[[Any, Any], bool]

RULES: dict[str, Rule] = {
    # The registry of agencies.
    "agency.list": lambda u, _o: has_role(
        u, Role.ADMIN, Role.NATIONAL, Role.HQ, *PROVINCE_WIDE, *AGENCY_SCOPED
    ),
    "agency.view": lambda u, o: sees_agency(u, o),
    "agency.create": lambda u, o: _manages_agency(u, o),
    "agency.change": lambda u, o: _manages_agency(u, o),
    "agency.import": lambda u, _o: has_role(u, Role.ADMIN, Role.STAFF),
    "agency.export": lambda u, _o: has_role(u, Role.ADMIN, Role.STAFF, Role.NATIONAL, Role.HQ),
    # Catalogues: seen by every role (shared ones, and their province's), managed by staff of
    # their own province and by the administrator. A new catalogue is checked unsaved, with
    # the province it will belong to.
    "catalogue.list": lambda u, _o: bool(grants(u)),
    "catalogue.view": lambda u, o: _sees_catalogue(u, o),
    "catalogue.try": lambda u, o: _sees_catalogue(u, o),
    "catalogue.export": lambda u, o: _sees_catalogue(u, o),
    "catalogue.diff": lambda u, _o: has_role(u, Role.ADMIN, Role.NATIONAL, Role.HQ, *PROVINCE_WIDE),
    "catalogue.create": lambda u, o: _manages_catalogue(u, o),
    "catalogue.copy": lambda u, o: (
        has_role(u, Role.ADMIN, Role.STAFF) and (o is None or _sees_catalogue(u, o))
    ),
    "catalogue.change": lambda u, o: _manages_catalogue(u, o),
    "catalogue.freeze": lambda u, o: _manages_catalogue(u, o),
    "catalogue.delete": lambda u, o: _manages_catalogue(u, o),
    # The audit trail of an object: whoever manages it.
    "audit.view": lambda u, o: (
        has_role(u, Role.ADMIN) or (isinstance(o, Agency) and _manages_agency(u, o))
    ),
    "audit.list": lambda u, _o: has_role(u, Role.ADMIN, Role.STAFF),
    # Django's admin site and the API's interactive documentation.
    "admin.site": lambda u, _o: has_role(u, Role.ADMIN),
    "api.docs": lambda u, _o: has_role(u, Role.ADMIN, Role.STAFF),
    "home.view": lambda u, _o: bool(grants(u)),
    # API tokens: anyone with a role keeps their own; the administrator may revoke any.
    "token.list": lambda u, _o: bool(grants(u)),
    "token.create": lambda u, _o: bool(grants(u)),
    "token.revoke": lambda u, o: has_role(u, Role.ADMIN) or (bool(grants(u)) and o.user_id == u.pk),
    # One's own sign-in: every signed-in person changes their password; two-step sign-in is
    # offered to TOTP_ROLES, and whoever has it on may turn it off even after losing the role.
    "password.change": lambda u, _o: bool(getattr(u, "is_authenticated", False) and u.is_active),
    "two_step.enrol": lambda u, _o: has_role(u, *TOTP_ROLES),
    "two_step.manage": lambda u, _o: has_role(u, *TOTP_ROLES) or _has_totp(u),
    "account.disable": lambda u, _o: has_role(u, Role.ADMIN),
}


def _has_totp(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        TotpDevice.objects.filter(user=user).exists()
    )


def _add_app_rules() -> None:
    """Each cycle app keeps its actions next to its code; they all land in this one table."""
    from karnameh.agreements.rules import RULES as agreements
    from karnameh.assessments.rules import RULES as assessments
    from karnameh.cycles.rules import RULES as cycles
    from karnameh.dashboards.rules import RULES as dashboards
    from karnameh.evaluations.rules import RULES as evaluations
    from karnameh.exports.rules import RULES as exports
    from karnameh.feedback.rules import RULES as feedback
    from karnameh.inquiries.rules import RULES as inquiries
    from karnameh.jobs.rules import RULES as jobs
    from karnameh.notifications.rules import RULES as notifications
    from karnameh.objections.rules import RULES as objections
    from karnameh.portal.rules import RULES as portal
    from karnameh.reports.rules import RULES as reports
    from karnameh.results.rules import RULES as results

    for table in (
        cycles,
        agreements,
        assessments,
        notifications,
        feedback,
        evaluations,
        inquiries,
        objections,
        results,
        jobs,
        reports,
        exports,
        portal,
        dashboards,
    ):
        clash = RULES.keys() & table.keys()
        if clash:
            raise RuntimeError(f"actions defined twice: {sorted(clash)}")
        RULES.update(table)


def may(user: Any, action: str, obj: Any = None) -> bool:
    rule = RULES.get(action)
    if rule is None:
        raise KeyError(f"unknown action {action!r}: add it to karnameh.accounts.permissions.RULES")
    return bool(rule(user, obj))


def require(user: Any, action: str, obj: Any = None) -> None:
    """Raise ``Forbidden`` (403 with a Persian message) unless ``may()`` says yes."""
    if not may(user, action, obj):
        raise Forbidden()


def role_labels(user: User) -> Iterable[str]:
    """What the page header says the user is, e.g. «کارشناس گروه نوسازی اداری – اردبیل»."""
    for assignment in RoleAssignment.objects.filter(user=user, is_active=True).select_related(
        "province", "agency", "assessing_body"
    ):
        yield str(assignment)


_add_app_rules()
