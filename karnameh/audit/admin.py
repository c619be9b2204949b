from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from karnameh.common.jalali import format_jalali_datetime

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read only: the trail is never edited, not even by the administrator."""

    list_display = ["when", "actor_username", "action", "target_repr"]
    list_filter = ["action"]
    search_fields = ["actor_username", "target_repr", "action"]

    @admin.display(description=_("time"), ordering="at")
    def when(self, event: AuditEvent) -> str:
        return format_jalali_datetime(event.at)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
