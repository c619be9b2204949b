from django.contrib import admin

from .models import Agency, AgencyType, AssessingBody, Province


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(AgencyType)
class AgencyTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(AssessingBody)
class AssessingBodyAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "province", "agency_type", "is_active"]
    list_filter = ["kind", "province", "agency_type", "is_active"]
    search_fields = ["code", "search_name"]
    autocomplete_fields = ["parent"]
