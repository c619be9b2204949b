from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class KarnamehAdminSite(admin.AdminSite):
    site_header = _("Karnameh administration")
    site_title = _("Karnameh")
    index_title = _("System administration")

    def has_permission(self, request: HttpRequest) -> bool:
        from .permissions import may  # the admin site is built before models load

        return bool(request.user.is_active and may(request.user, "admin.site"))


class KarnamehAdminConfig(AdminConfig):
    """Replaces "django.contrib.admin" in INSTALLED_APPS so the site above is the default."""

    default_site = "karnameh.accounts.admin_site.KarnamehAdminSite"
