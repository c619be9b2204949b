"""Reading feedback, always through what the reader may see."""

import re
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from karnameh.accounts.models import Role
from karnameh.accounts.permissions import AGENCY_SCOPED, grants, has_role, require
from karnameh.agencies.models import Agency

from .models import TRACKING_PREFIX, Feedback, FeedbackKind, FeedbackStatus


def visible_feedback(user: Any) -> QuerySet[Feedback]:
    """The administrator sees all; staff their province's; an agency's users their agency's."""
    queryset = Feedback.objects.select_related(
        "agency", "agency__province", "author", "answered_by", "cycle"
    )
    found = grants(user)
    if not found:
        return queryset.none()
    if has_role(user, Role.ADMIN):
        return queryset
    provinces = {g.province_id for g in found if g.role == Role.STAFF}
    own = {g.agency_id for g in found if g.role in AGENCY_SCOPED}
    return queryset.filter(Q(agency__province_id__in=provinces) | Q(agency_id__in=own))


def author_agencies(user: Any) -> QuerySet[Agency]:
    """The agencies on whose behalf this user may write (their agency-side roles)."""
    own = {g.agency_id for g in grants(user) if g.role in AGENCY_SCOPED}
    return Agency.objects.filter(pk__in=own).order_by("name")


_NUMBER = re.compile(rf"^\s*{TRACKING_PREFIX}[\s-]*(\d{{4}})[\s-]*(\d{{1,9}})\s*$", re.IGNORECASE)


def canonical_number(text: str) -> str | None:
    """``fb 1403 42`` or ``FB-1403-000042`` -> ``FB-1403-000042``; None when it is not one."""
    match = _NUMBER.match(text)
    if match is None:
        return None
    return f"{TRACKING_PREFIX}-{match[1]}-{int(match[2]):06d}"


def visible_feedback_item(user: Any, number: str) -> Feedback:
    """One piece of feedback by tracking number, or 404 (also when it is someone else's)."""
    feedback = get_object_or_404(visible_feedback(user), tracking_number=canonical_number(number))
    require(user, "feedback.view", feedback)
    return feedback


def filtered(
    queryset: QuerySet[Feedback], *, kind: str = "", status: str = ""
) -> QuerySet[Feedback]:
    if kind in FeedbackKind.values:
        queryset = queryset.filter(kind=kind)
    if status in FeedbackStatus.values:
        queryset = queryset.filter(status=status)
    return queryset


def counts(queryset: QuerySet[Feedback]) -> dict[str, dict[str, int]]:
    """How many of each kind and of each status, in one query.

    ``{"kind": {"survey": 3, ...}, "status": {"open": 2, ...}}``
    """
    found: dict[str, dict[str, int]] = {
        "kind": dict.fromkeys(FeedbackKind.values, 0),
        "status": dict.fromkeys(FeedbackStatus.values, 0),
    }
    rows = queryset.order_by().values("kind", "status").annotate(n=Count("id"))
    for row in rows:
        found["kind"][row["kind"]] += row["n"]
        found["status"][row["status"]] += row["n"]
    return found
