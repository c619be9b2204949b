from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class KarnamehAdminSite(admin.AdminSite):
    site_header = _("Karnameh administration")
    site_title = _("Karnameh")
    index_title = _("System administration")

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        # One login page for the whole system, with its throttling and audit. (Imported here:
        # this module loads with the app registry, before auth's models may be imported.)
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path(), reverse("accounts:login"))

    def has_permission(self, request: HttpRequest) -> bool:
        from .permissions import may  # the admin site is built before models load

        return bool(request.user.is_active and may(request.user, "admin.site"))


class KarnamehAdminConfig(AdminConfig):
    """Replaces "django.contrib.admin" in INSTALLED_APPS so the site above is the default."""

    default_site = "karnameh.accounts.admin_site.KarnamehAdminSite"
