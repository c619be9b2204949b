"""The JSON API (/api/v1/): the same services and permission checks as the pages."""

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.security import django_auth

from karnameh.accounts.tokens import BearerToken
from karnameh.common.errors import DomainError

api = NinjaAPI(
    title="Karnameh API",
    version="1.0.0",
    description="کارنامه: ارزیابی عملکرد دستگاه‌های اجرایی",
    # The bearer token first: the session check demands a CSRF token on writes and would
    # refuse a token-carrying POST before the token was looked at.
    auth=[BearerToken(), django_auth],
    urls_namespace="api",
)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(
        request, {"detail": exc.message, "code": exc.code}, status=exc.status_code
    )


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    # The same answer whether the object does not exist or is outside the caller's reach.
    return api.create_response(
        request, {"detail": _("Not found."), "code": "not_found"}, status=404
    )


@api.exception_handler(AuthenticationError)
def not_signed_in(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": _("Sign in first."), "code": "not_authenticated"}, status=401
    )


def _register_routers() -> None:
    from karnameh.accounts.api import router as accounts_router
    from karnameh.agencies.api import router as agencies_router
    from karnameh.agreements.api import router as agreements_router
    from karnameh.assessments.api import router as assessments_router
    from karnameh.assessments.api_workflow import router as assessment_workflow_router
    from karnameh.catalogue.api import router as catalogues_router
    from karnameh.cycles.api import router as cycles_router
    from karnameh.dashboards.api import router as dashboards_router
    from karnameh.evaluations.api import router as evaluations_router
    from karnameh.exports.api import router as exports_router
    from karnameh.feedback.api import router as feedback_router
    from karnameh.inquiries.api import router as inquiries_router
    from karnameh.jobs.api import router as jobs_router
    from karnameh.notifications.api import router as notifications_router
    from karnameh.objections.api import router as objections_router
    from karnameh.portal.api import router as portal_router
    from karnameh.reports.api import router as reports_router
    from karnameh.results.api import router as results_router
    from karnameh.results.api_awards import router as results_awards_router

    api.add_router("/accounts", accounts_router)
    api.add_router("/agencies", agencies_router)
    api.add_router("/catalogues", catalogues_router)
    api.add_router("/cycles", cycles_router)
    api.add_router("/agreements", agreements_router)
    # Transitions first: ``{cycle}/{agency}/transitions/{name}`` would otherwise be taken for
    # a workspace gauge's ``{cycle}/{agency}/{part}/{gauge}``.
    api.add_router("/assessments", assessment_workflow_router)
    api.add_router("/assessments", assessments_router)
    api.add_router("/notifications", notifications_router)
    api.add_router("/feedback", feedback_router)
    api.add_router("/evaluations", evaluations_router)
    api.add_router("/inquiries", inquiries_router)
    api.add_router("/objections", objections_router)
    api.add_router("/results", results_router)
    api.add_router("/results", results_awards_router)
    api.add_router("/jobs", jobs_router)
    api.add_router("/reports", reports_router)
    api.add_router("/exports", exports_router)
    api.add_router("/dashboards", dashboards_router)
    api.add_router("/public", portal_router)


_register_routers()
