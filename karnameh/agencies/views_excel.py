"""Import and export of the registry as Excel (being written)."""

from django.http import HttpRequest, HttpResponse


def agency_import(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def agency_export(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError
