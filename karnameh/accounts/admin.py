from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from karnameh.audit.admin_audit import AuditedAdmin
from karnameh.common.jalali import format_jalali_datetime

from .models import LoginFailure, RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["province", "agency", "assessing_body"]


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    inlines = [RoleAssignmentInline]
    list_display = ["username", "first_name", "last_name", "is_active", "last_seen"]

    @admin.display(description=_("last login"), ordering="last_login")
    def last_seen(self, user: User) -> str:
        return format_jalali_datetime(user.last_login) or "—"


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    list_display = ["username", "ip", "when"]
    search_fields = ["username", "ip"]

    @admin.display(description=_("time"), ordering="at")
    def when(self, failure: LoginFailure) -> str:
        return format_jalali_datetime(failure.at)
