"""Reading the audit trail, filtered by what the reader may see."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from karnameh.accounts.models import Role
from karnameh.accounts.permissions import has_role, visible_agencies
from karnameh.agencies.models import Agency

from .models import AuditEvent


def visible_events(user: Any) -> QuerySet[AuditEvent]:
    """The administrator reads everything; staff read the events of the agencies they see."""
    events = AuditEvent.objects.select_related("actor", "target_type")
    if has_role(user, Role.ADMIN):
        return events
    if not has_role(user, Role.STAFF):
        return events.none()
    agency_type = ContentType.objects.get_for_model(Agency)
    agency_ids = [str(pk) for pk in visible_agencies(user).values_list("pk", flat=True)]
    return events.filter(Q(target_type=agency_type, target_id__in=agency_ids))
