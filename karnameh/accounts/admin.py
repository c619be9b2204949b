from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from karnameh.audit.admin_audit import AuditedAdmin
from karnameh.audit.services import record
from karnameh.common.jalali import format_jalali_datetime

from . import sessions
from .models import LoginFailure, RoleAssignment, TotpDevice, User
from .throttle import client_ip


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

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            # A disabled account is signed out everywhere at once (its tokens stop by
            # themselves: ApiToken.is_usable asks is_active).
            self._sessions_ended(request, obj, "disabled")

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        # A password set by the administrator ends the person's sessions, as a change by the
        # person does (except the administrator's own session, if it is their own account).
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                user = User.objects.get(pk=unquote(id))
                self._sessions_ended(request, user, "password_set")
        return response

    def _sessions_ended(self, request: HttpRequest, user: User, reason: str) -> None:
        own = user.pk == request.user.pk
        if own:
            sessions.register(request, user)
        ended = sessions.end_sessions(user=user, keep=request.session.session_key if own else None)
        record(
            actor=request.user,
            action="accounts.sessions_end",
            target=user,
            changes={"reason": reason, "sessions_ended": ended},
            ip=client_ip(request),
        )


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    list_display = ["username", "ip", "when"]
    search_fields = ["username", "ip"]

    @admin.display(description=_("time"), ordering="at")
    def when(self, failure: LoginFailure) -> str:
        return format_jalali_datetime(failure.at)


@admin.register(TotpDevice)
class TotpDeviceAdmin(AuditedAdmin):
    """Only to turn off the two-step sign-in of someone who lost both phone and recovery codes
    (delete the row); the secret is never shown."""

    list_display = ["user", "confirmed"]
    search_fields = ["user__username"]
    fields = ["user", "created_at", "confirmed_at"]
    readonly_fields = ["user", "created_at", "confirmed_at"]

    @admin.display(description=_("turned on at"), ordering="confirmed_at")
    def confirmed(self, device: TotpDevice) -> str:
        return format_jalali_datetime(device.confirmed_at) or "—"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
