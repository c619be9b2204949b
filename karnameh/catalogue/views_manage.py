"""Managing catalogues: import, copy for a new year, freeze, delete, edit one gauge.

Each page calls the one service of its change; a refusal is shown on the page and saves
nothing. The engine's problems with a catalogue are listed with their line and place.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from karnameh.accounts.models import Role
from karnameh.accounts.permissions import has_role, require
from karnameh.accounts.throttle import client_ip
from karnameh.common.errors import DomainError
from karnameh.common.templatetags.fa import fa

from .forms import CopyForm, GaugeEditForm, ImportForm, ReasonForm
from .models import Gauge
from .selectors import managed_provinces, visible_catalogue
from .services import (
    MAX_FILE_BYTES,
    CatalogueRejected,
    catalogue_copy,
    catalogue_delete,
    catalogue_freeze,
    catalogue_import,
    gauge_update,
)
from .store import engine_catalogue


def _province_choices(request: HttpRequest) -> dict[str, Any]:
    """Staff create catalogues in their province; the administrator anywhere, or shared."""
    return {
        "provinces": managed_provinces(request.user),
        "may_share": has_role(request.user, Role.ADMIN),
    }


@login_required
@require_http_methods(["GET", "POST"])
def catalogue_import_view(request: HttpRequest, code: str | None = None) -> HttpResponse:
    replace = None
    if code is not None:
        replace = visible_catalogue(request.user, code)
        require(request.user, "catalogue.change", replace)
    else:
        require(request.user, "catalogue.create")
    choices = _province_choices(request) if replace is None else {}
    form = ImportForm(request.POST or None, request.FILES or None, **choices)
    problems = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            catalogue = catalogue_import(
                actor=request.user,
                text=data["content"],
                province=data.get("province") if replace is None else replace.province,
                replace=replace,
                reason=data.get("reason", ""),
                name=data["name"],
                ip=client_ip(request),
            )
        except CatalogueRejected as rejected:
            problems = rejected.problems
            form.add_error(None, rejected.message)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("The catalogue %(title)s was saved as a draft.") % {"title": catalogue.title},
            )
            return redirect("catalogue:detail", code=catalogue.code)
    context = {
        "form": form,
        "problems": problems,
        "replace": replace,
        "megabytes": fa(MAX_FILE_BYTES // (1024 * 1024)),
    }
    return render(request, "catalogue/import.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def catalogue_copy_view(request: HttpRequest, code: str) -> HttpResponse:
    source = visible_catalogue(request.user, code)
    require(request.user, "catalogue.copy", source)
    initial = {"year": source.year + 1, "title": source.title}
    form = CopyForm(request.POST or None, initial=initial, **_province_choices(request))
    problems = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            copy = catalogue_copy(
                actor=request.user,
                source=source,
                code=data["code"],
                year=data["year"],
                title=data["title"],
                province=data.get("province"),
                reason=data.get("reason", ""),
                ip=client_ip(request),
            )
        except CatalogueRejected as rejected:
            problems = rejected.problems
            form.add_error(None, rejected.message)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The copy was saved as a draft."))
            return redirect("catalogue:detail", code=copy.code)
    context = {"form": form, "source": source, "problems": problems}
    return render(request, "catalogue/copy.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def catalogue_freeze_view(request: HttpRequest, code: str) -> HttpResponse:
    catalogue = visible_catalogue(request.user, code)
    require(request.user, "catalogue.freeze", catalogue)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            catalogue_freeze(
                actor=request.user,
                catalogue=catalogue,
                reason=form.cleaned_data["reason"],
                ip=client_ip(request),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The catalogue is frozen."))
            return redirect("catalogue:detail", code=catalogue.code)
    return render(
        request, "catalogue/confirm.html", {"form": form, "catalogue": catalogue, "freeze": True}
    )


@login_required
@require_http_methods(["GET", "POST"])
def catalogue_delete_view(request: HttpRequest, code: str) -> HttpResponse:
    catalogue = visible_catalogue(request.user, code)
    require(request.user, "catalogue.delete", catalogue)
    form = ReasonForm(request.POST or None, required=False)
    if request.method == "POST" and form.is_valid():
        try:
            catalogue_delete(
                actor=request.user,
                catalogue=catalogue,
                reason=form.cleaned_data["reason"],
                ip=client_ip(request),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("The catalogue %(title)s was deleted.") % {"title": catalogue.title}
            )
            return redirect("catalogue:list")
    return render(
        request, "catalogue/confirm.html", {"form": form, "catalogue": catalogue, "freeze": False}
    )


@login_required
@require_http_methods(["GET", "POST"])
def gauge_edit(request: HttpRequest, code: str, gauge: str) -> HttpResponse:
    catalogue = visible_catalogue(request.user, code)
    require(request.user, "catalogue.change", catalogue)
    found = engine_catalogue(catalogue).gauge(gauge)
    if found is None:
        raise Http404
    row = get_object_or_404(Gauge, indicator__axis__catalogue=catalogue, code=gauge)
    form = GaugeEditForm(request.POST or None, gauge=found[1])
    problems = None
    if request.method == "POST" and form.is_valid():
        try:
            gauge_update(
                actor=request.user,
                gauge=row,
                data=form.gauge_data(),
                reason=form.cleaned_data["reason"],
                ip=client_ip(request),
            )
        except CatalogueRejected as rejected:
            problems = rejected.problems
            form.add_error(None, rejected.message)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("catalogue:gauge", code=catalogue.code, gauge=gauge)
    context = {
        "form": form,
        "catalogue": catalogue,
        "indicator": found[0],
        "gauge": found[1],
        "problems": problems or form.problems or None,
    }
    return render(request, "catalogue/gauge_edit.html", context)
