"""Error pages in the interface language (used whenever DEBUG is off)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from karnameh.files.responses import FileMissing


def _error(request: HttpRequest, status: int, title: str, detail: str) -> HttpResponse:
    return render(
        request, "error.html", {"status": status, "title": title, "detail": detail}, status=status
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, _("Bad request"), _("The request could not be processed."))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    detail = str(exception) if exception and str(exception) else ""
    return _error(
        request,
        403,
        _("Access denied"),
        detail or _("You are not allowed to see this page."),
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, FileMissing):
        return _error(request, 404, _("File not found"), exception.message)
    return _error(
        request,
        404,
        _("Page not found"),
        _("The address you asked for does not exist or is not open to you."),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(
        request,
        500,
        _("System error"),
        _(
            "Something went wrong and your action was not carried out. Try again; "
            "if it happens again, tell the support team."
        ),
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(
        request,
        403,
        _("The form has expired"),
        _(
            "The form was sent from an old page or cookies are disabled. "
            "Open the page again and send it once more."
        ),
    )
