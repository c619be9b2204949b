"""Changes made in Django's admin site go into the same audit trail as every other change.

The admin is where roles are granted, so what it changes matters as much as any score.
Django's admin wraps each save in a transaction, so the event is written inside it.
"""

from typing import Any

from django.contrib import admin
from django.db import models
from django.forms import BaseModelForm
from django.http import HttpRequest

from karnameh.accounts.throttle import client_ip

from .services import record

# Never copied into the trail, even as a hash.
SECRET_FIELDS = {"password"}


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list | tuple | models.QuerySet):
        return [_plain(item) for item in value]
    return value


def form_changes(form: BaseModelForm[Any]) -> dict[str, list[Any]]:
    """``{field: [from, to]}`` for the fields a person changed in an admin form."""
    changes = {}
    for name in form.changed_data:
        if name in SECRET_FIELDS:
            continue
        initial = form.initial.get(name)
        field = form.fields[name]
        if isinstance(initial, int) and hasattr(field, "queryset"):
            initial = field.queryset.filter(pk=initial).first()
        changes[name] = [_plain(initial), _plain(form.cleaned_data.get(name))]
    return changes


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        changes = form_changes(form)
        super().save_model(request, obj, form, change)
        record(
            actor=request.user,
            action="admin.change" if change else "admin.add",
            target=obj,
            changes=changes,
            ip=client_ip(request),
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        record(actor=request.user, action="admin.delete", target=obj, ip=client_ip(request))
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            record(actor=request.user, action="admin.delete", target=obj, ip=client_ip(request))
        super().delete_queryset(request, queryset)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        # Inline rows (a user's roles) are recorded one by one, each on its own object.
        ip = client_ip(request)
        deleted = [f for f in formset.deleted_forms if f.instance.pk is not None]
        changed = [f for f in formset.forms if f.has_changed() and f not in deleted]
        changes = {id(f): form_changes(f) for f in changed}
        for inline_form in deleted:
            # Before the delete: afterwards the object no longer has its key.
            record(actor=request.user, action="admin.delete", target=inline_form.instance, ip=ip)
        super().save_formset(request, form, formset, change)
        for inline_form in changed:
            obj = inline_form.instance
            record(
                actor=request.user,
                action="admin.add" if obj in formset.new_objects else "admin.change",
                target=obj,
                changes=changes[id(inline_form)],
                ip=ip,
            )
