from django.contrib import admin
from django.urls import include, path

from karnameh.accounts.views import home
from karnameh.api.api import api
from karnameh.common.health import healthz

urlpatterns = [
    path("", home, name="home"),
    # For nginx, load balancers and monitoring: no sign-in, one query (karnameh/common/health.py).
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("karnameh.accounts.urls")),
    path("agencies/", include("karnameh.agencies.urls")),
    path("audit/", include("karnameh.audit.urls")),
    path("catalogues/", include("karnameh.catalogue.urls")),
    path("cycles/", include("karnameh.cycles.urls")),
    path("agreements/", include("karnameh.agreements.urls")),
    path("assessments/", include("karnameh.assessments.urls")),
    path("notifications/", include("karnameh.notifications.urls")),
    path("feedback/", include("karnameh.feedback.urls")),
    path("evaluations/", include("karnameh.evaluations.urls")),
    path("inquiries/", include("karnameh.inquiries.urls")),
    path("objections/", include("karnameh.objections.urls")),
    path("results/", include("karnameh.results.urls")),
    path("jobs/", include("karnameh.jobs.urls")),
    path("reports/", include("karnameh.reports.urls")),
    path("exports/", include("karnameh.exports.urls")),
    path("dashboards/", include("karnameh.dashboards.urls")),
    # The public portal (دولت‌سنج): no sign-in, published results only.
    path("public/", include("karnameh.portal.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler400 = "karnameh.common.views.bad_request"
handler403 = "karnameh.common.views.permission_denied"
handler404 = "karnameh.common.views.page_not_found"
handler500 = "karnameh.common.views.server_error"
