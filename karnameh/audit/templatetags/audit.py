from typing import Any

from django import template

from karnameh.audit import labels
from karnameh.audit.models import AuditEvent

register = template.Library()


@register.filter
def action_label(event: AuditEvent) -> str:
    return labels.action_label(event)


@register.simple_tag
def field_label(event: AuditEvent, field: str) -> Any:
    return labels.field_label(event, field)


@register.simple_tag
def value_label(event: AuditEvent, field: str, value: object) -> str:
    return labels.value_label(event, field, value)
