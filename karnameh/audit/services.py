"""Writing and checking the audit trail."""

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.utils import timezone

from .models import AuditEvent

# Any constant works; it names the lock that serialises writers of the chain on PostgreSQL.
_CHAIN_LOCK = 7_201_397


def _digest(event: AuditEvent) -> str:
    payload = {
        "previous": event.previous_hash,
        "at": event.at.isoformat(),
        "actor": event.actor_username,
        "action": event.action,
        "target_type": event.target_type_id,
        "target_id": event.target_id,
        "target_repr": event.target_repr,
        "changes": event.changes,
        "reason": event.reason,
        "ip": event.ip,
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    reason: str = "",
    ip: str | None = None,
) -> AuditEvent:
    """Write one audit event. Must run inside the transaction of the change it records.

    ``changes`` maps a field to ``[from, to]`` (or holds whatever describes the change).
    """
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record must be called inside the change's transaction")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Writers take turns so that each event links to the one truly before it.
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
    last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    user = actor if getattr(actor, "is_authenticated", False) else None
    event = AuditEvent(
        at=timezone.now(),
        actor=user,
        actor_username=user.get_username() if user else "",
        action=action,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:300] if target is not None else "",
        changes=json.loads(json.dumps(changes or {}, default=str)),
        reason=reason,
        ip=ip,
        previous_hash=last or "",
    )
    event.hash = _digest(event)
    event.save()
    return event


@dataclass(frozen=True)
class ChainBreak:
    event_id: int
    problem: str


def verify_chain() -> ChainBreak | None:
    """The first event whose content or link does not match, or None when the chain holds."""
    previous = ""
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.previous_hash != previous:
            return ChainBreak(event.id, "link")
        if _digest(event) != event.hash:
            return ChainBreak(event.id, "content")
        previous = event.hash
    return None


HEAD_FORMAT = "karnameh-audit-head/1"


def chain_head() -> dict[str, Any]:
    """The chain's last event, to be kept outside the system (``karnameh audit head``).

    A chain can be rewritten whole by someone who can write to the database, or lose its
    newest events, and still hold together; a head kept elsewhere shows both (``check_head``).
    """
    last = AuditEvent.objects.order_by("-id").values("id", "hash", "at").first()
    return {
        "format": HEAD_FORMAT,
        "event": last["id"] if last else None,
        "hash": last["hash"] if last else "",
        "at": last["at"].isoformat() if last else None,
        "count": AuditEvent.objects.count(),
        "exported": timezone.now().isoformat(),
    }


def check_head(kept: dict[str, Any]) -> ChainBreak | None:
    """Whether the event a kept head names is still in the chain, unchanged."""
    if kept.get("event") is None:
        return None
    found = AuditEvent.objects.filter(pk=kept["event"]).values_list("hash", flat=True).first()
    if found is None:
        return ChainBreak(int(kept["event"]), "missing")
    if found != kept.get("hash"):
        return ChainBreak(int(kept["event"]), "head")
    return None


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [from, to]}`` for the fields whose value changed."""
    return {k: [before.get(k), after[k]] for k in after if before.get(k) != after[k]}


def history(target: models.Model) -> models.QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk)
    ).select_related("actor", "target_type")
