"""The JSON API (/api/v1/): the same services and permission checks as the pages.

Every refusal has one shape, ``{"detail", "code"}`` (``Error`` in the schema), whoever raised
it: a service's DomainError, a 404, a missing sign-in, or ninja's own checks of the request
(422, which adds ``errors``, the list of problems). The schema declares those answers on every
operation, so a client, and schemathesis, can rely on it.

Two apps may name a schema class alike (``AgencyOut`` in agencies and in the portal). Ninja
files every class under its bare name, so the last one would silently describe both; here such
classes are named after their module instead (``PortalAgencyOut``).
"""

from collections import defaultdict
from http import HTTPStatus
from typing import Any

import ninja.openapi.schema
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.schema import NinjaGenerateJsonSchema
from ninja.security import django_auth
from pydantic.json_schema import CoreModeRef, DefsRef

from karnameh.accounts.tokens import BearerToken
from karnameh.common.errors import DomainError
from karnameh.files.responses import FileMissing

# The refusals any operation may give; 401 only where a sign-in is asked for.
ERROR_STATUSES = (400, 403, 404, 409, 422)
ERROR_REF = {"$ref": "#/components/schemas/Error"}


class Error(Schema):
    """A refusal: ``detail`` for the person (already translated), ``code`` for a program."""

    detail: str
    code: str
    # Only on 422: what in the request did not match the schema, as ninja found it.
    errors: list[dict[str, Any]] | None = None


def shared_names() -> set[str]:
    """Class names that more than one of our schemas has."""
    places: defaultdict[str, set[str]] = defaultdict(set)
    pending: list[type[Schema]] = [Schema]
    while pending:
        sub: type[Schema]
        for sub in pending.pop().__subclasses__():
            pending.append(sub)
            if sub.__module__.startswith("karnameh."):
                places[sub.__name__].add(sub.__module__)
    return {name for name, modules in places.items() if len(modules) > 1}


def qualified(module: str, name: str) -> str:
    """``karnameh.assessments.api_workflow`` + ``ParticipationOut`` →
    ``AssessmentsWorkflowParticipationOut``."""
    parts = [p.removeprefix("api_") for p in module.split(".")[1:] if p != "api"]
    return "".join(word.capitalize() for part in parts for word in part.split("_")) + name


class QualifiedNames(NinjaGenerateJsonSchema):
    shared: frozenset[str] = frozenset()

    def get_defs_ref(self, core_mode_ref: CoreModeRef) -> DefsRef:
        defs_ref = super().get_defs_ref(core_mode_ref)
        module, _, name = core_mode_ref[0].rsplit(":", 1)[0].rpartition(".")
        if name in self.shared and module.startswith("karnameh.") and "[" not in module:
            # Pydantic takes the first of these choices that no other schema claims.
            self._prioritized_defsref_choices[defs_ref].insert(0, DefsRef(qualified(module, name)))
        return defs_ref


class KarnamehAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        QualifiedNames.shared = frozenset(shared_names())
        # Ninja names its generator at call time; ours differs only in the names it picks.
        ninja.openapi.schema.NinjaGenerateJsonSchema = QualifiedNames  # type: ignore[misc]
        try:
            schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        finally:
            ninja.openapi.schema.NinjaGenerateJsonSchema = NinjaGenerateJsonSchema  # type: ignore[misc]
        schema["components"].setdefault("schemas", {})["Error"] = Error.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
        for item in schema["paths"].values():
            for operation in item.values():
                declare_errors(operation)
        return schema


def declare_errors(operation: dict[str, Any]) -> None:
    """Add the shared refusals an operation does not declare itself (its own come first)."""
    responses = operation.setdefault("responses", {})
    statuses = ERROR_STATUSES + ((401,) if operation.get("security") else ())
    for status in sorted(statuses):
        if status not in responses and str(status) not in responses:
            responses[status] = {
                "description": HTTPStatus(status).phrase,
                "content": {"application/json": {"schema": ERROR_REF}},
            }


api = KarnamehAPI(
    title="Karnameh API",
    version="1.0.0",
    description="کارنامه: ارزیابی عملکرد دستگاه‌های اجرایی",
    # The bearer token first: the session check demands a CSRF token on writes and would
    # refuse a token-carrying POST before the token was looked at.
    auth=[BearerToken(), django_auth],
    urls_namespace="api",
)


def refusal(
    request: HttpRequest, status: int, detail: str, code: str, **extra: Any
) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "code": code, **extra}, status=status)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return refusal(request, exc.status_code, exc.message, exc.code)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    if isinstance(exc, FileMissing):  # the caller may have it: the store lost its content
        return refusal(request, 404, exc.message, "file_missing")
    # The same answer whether the object does not exist or is outside the caller's reach.
    return refusal(request, 404, _("Not found."), "not_found")


@api.exception_handler(AuthenticationError)
def not_signed_in(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return refusal(request, 401, _("Sign in first."), "not_authenticated")


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return refusal(
        request,
        422,
        _("The request does not match the API schema: see «errors»."),
        "invalid",
        errors=exc.errors,
    )


@api.exception_handler(OverflowError)
def out_of_range(request: HttpRequest, exc: OverflowError) -> HttpResponse:
    # SQLite takes integers of at most 64 bits and refuses a bigger one in a query; PostgreSQL
    # answers such a lookup with nothing found. Any other overflow is a fault of ours.
    if "SQLite" not in str(exc):
        raise exc
    return refusal(request, 400, _("A number in the request is out of range."), "out_of_range")


@api.exception_handler(DataError)
def unstorable(request: HttpRequest, exc: DataError) -> HttpResponse:
    # PostgreSQL cannot store or even compare text with a NUL character; psycopg refuses it
    # before sending the query, so nothing is left half done. Any other DataError is ours.
    if "NUL" not in str(exc):
        raise exc
    return refusal(
        request, 400, _("The request holds a character that cannot be stored."), "invalid_value"
    )


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # Ninja's own refusals: a body that is not JSON (400) and a session write without the
    # CSRF token (403). Their English text is replaced by ours.
    if exc.status_code == 403:
        return refusal(
            request,
            403,
            _("The CSRF check failed: send the CSRF token, or use an API token."),
            "csrf_failed",
        )
    return refusal(
        request, exc.status_code, _("The request could not be processed."), "bad_request"
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
