"""The JSON API (/api/v1/): the same services and permission checks as the pages."""

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.security import django_auth

from karnameh.common.errors import DomainError

api = NinjaAPI(
    title="Karnameh API",
    version="1.0.0",
    description="کارنامه: ارزیابی عملکرد دستگاه‌های اجرایی",
    auth=django_auth,
    urls_namespace="api",
)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(
        request, {"detail": exc.message, "code": exc.code}, status=exc.status_code
    )


def _register_routers() -> None:
    from karnameh.accounts.api import router as accounts_router
    from karnameh.agencies.api import router as agencies_router

    api.add_router("/accounts", accounts_router)
    api.add_router("/agencies", agencies_router)


_register_routers()
