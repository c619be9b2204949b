from typing import Any

from django import forms
from django.contrib import admin

from karnameh.audit.admin_audit import AuditedAdmin

from .models import Agency, AgencyType, AssessingBody, Province
from .services import EDITABLE_FIELDS, check_structure


@admin.register(Province)
class ProvinceAdmin(AuditedAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(AgencyType)
class AgencyTypeAdmin(AuditedAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(AssessingBody)
class AssessingBodyAdmin(AuditedAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


class AgencyAdminForm(forms.ModelForm):
    """The registry's own rules hold in the admin site too."""

    class Meta:
        model = Agency
        fields = [*EDITABLE_FIELDS]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        candidate = Agency(pk=self.instance.pk)
        for field in ("code", "kind", "parent", "province", "county", "has_county_units"):
            setattr(candidate, field, data.get(field, getattr(self.instance, field)))
        if candidate.kind:
            for problem in check_structure(candidate):
                self.add_error(None, problem)
        return data


@admin.register(Agency)
class AgencyAdmin(AuditedAdmin):
    form = AgencyAdminForm
    list_display = ["code", "name", "kind", "province", "agency_type", "is_active"]
    list_filter = ["kind", "province", "agency_type", "is_active"]
    search_fields = ["code", "search_name"]
    autocomplete_fields = ["parent"]
