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
    "catalogue.import": _("imported the catalogue"),
    "catalogue.replace": _("replaced the catalogue's content"),
    "catalogue.copy": _("copied the catalogue"),
    "catalogue.freeze": _("froze the catalogue"),
    "catalogue.delete": _("deleted the catalogue"),
    "catalogue.gauge_update": _("changed the gauge"),
    "admin.add": _("added in the administration site"),
    "admin.change": _("changed in the administration site"),
    "admin.delete": _("deleted in the administration site"),
}


# Names recorded that are not a column of the target: what a catalogue's new content added,
# removed and changed (catalogue.replace).
EXTRA_FIELD_LABELS = {
    "added": _("added"),
    "removed": _("removed"),
    "changed": _("changed"),
}


def action_label(event: AuditEvent) -> str:
    return str(ACTION_LABELS.get(event.action, event.action))


def field_label(event: AuditEvent, field: str) -> str:
    """The field's name as its model calls it (``province`` → «استان»)."""
    if event.target_type is None:
        return field
    model = apps.get_model(event.target_type.app_label, event.target_type.model)
    try:
        found = model._meta.get_field(field)
    except FieldDoesNotExist:
        return str(EXTRA_FIELD_LABELS.get(field, field))
    # A reverse relation (a gauge's `fields`) has no verbose name: its model's plural serves.
    name = getattr(found, "verbose_name", None) or found.related_model._meta.verbose_name_plural
    return str(name)


def value_label(event: AuditEvent, field: str, value: object) -> str:
    """A recorded value as people read it: choices by their label, yes/no for booleans."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if event.target_type is not None:
        model = apps.get_model(event.target_type.app_label, event.target_type.model)
        try:
            # A reverse relation (a catalogue's gauges) has no choices at all.
            choices = dict(getattr(model._meta.get_field(field), "flatchoices", ()))
        except FieldDoesNotExist:
            choices = {}
        # A list (an expert group's members) is no choice, and cannot be looked up as one.
        if not isinstance(value, list | dict) and value in choices:
            return str(choices[value])
    return str(value)
