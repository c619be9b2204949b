"""What people read for the audit trail's action codes and field names."""

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent

ACTION_LABELS = {
    "accounts.login": _("logged in"),
    "accounts.logout": _("logged out"),
    "agency.create": _("registered the agency"),
    "agency.update": _("changed the agency"),
    "demo.load": _("loaded the demo data"),
    "admin.add": _("added in the administration site"),
    "admin.change": _("changed in the administration site"),
    "admin.delete": _("deleted in the administration site"),
}


def action_label(event: AuditEvent) -> str:
    return str(ACTION_LABELS.get(event.action, event.action))


def field_label(event: AuditEvent, field: str) -> str:
    """The field's name as its model calls it (``province`` → «استان»)."""
    if event.target_type is None:
        return field
    model = apps.get_model(event.target_type.app_label, event.target_type.model)
    try:
        return str(model._meta.get_field(field).verbose_name)
    except FieldDoesNotExist:
        return field


def value_label(event: AuditEvent, field: str, value: object) -> str:
    """A recorded value as people read it: choices by their label, yes/no for booleans."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if event.target_type is not None:
        model = apps.get_model(event.target_type.app_label, event.target_type.model)
        try:
            choices = dict(model._meta.get_field(field).flatchoices)
        except FieldDoesNotExist:
            choices = {}
        if value in choices:
            return str(choices[value])
    return str(value)
