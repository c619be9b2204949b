"""Import and export of the registry as Excel workbooks."""

import jdatetime
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from karnameh.accounts.models import Role
from karnameh.accounts.permissions import grants, has_role, require
from karnameh.accounts.throttle import client_ip
from karnameh.common.excel import xlsx_response
from karnameh.common.forms import Form
from karnameh.common.templatetags.fa import fa

from .excel import (
    EXAMPLE_CODE,
    MAX_FILE_BYTES,
    MAX_ROWS,
    NO,
    YES,
    ImportRejected,
    kind_label,
    write_agencies,
    write_template,
)
from .importing import agencies_import
from .models import Agency, AgencyKind, AgencyType, Province
from .selectors import search_agencies


class ImportForm(Form):
    file = forms.FileField(
        label=gettext_lazy("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )


def _today() -> str:
    return jdatetime.date.fromgregorian(date=timezone.localdate()).strftime("%Y-%m-%d")


@login_required
@require_http_methods(["GET", "POST"])
def agency_import(request: HttpRequest) -> HttpResponse:
    require(request.user, "agency.import")
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    errors = None
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = agencies_import(
                actor=request.user, file=upload, filename=upload.name, ip=client_ip(request)
            )
        except ImportRejected as rejected:
            errors = rejected.errors
            form.add_error(None, rejected.message)
        else:
            messages.success(request, result.summary())
            return redirect("agencies:list")
    context = {
        "form": form,
        "errors": errors,
        "limits": {
            "megabytes": fa(MAX_FILE_BYTES // (1024 * 1024)),
            "rows": fa(MAX_ROWS),
        },
        "kinds": [kind_label(kind) for kind in AgencyKind],
        "yes": YES,
        "no": NO,
    }
    return render(request, "agencies/import.html", context)


@login_required
@require_GET
def agency_import_template(request: HttpRequest) -> HttpResponse:
    require(request.user, "agency.import")
    provinces = list(Province.objects.order_by("code"))
    if not has_role(request.user, Role.ADMIN):
        # Staff may import units of their own province only: the others would be refused.
        own = {g.province_id for g in grants(request.user) if g.role == Role.STAFF}
        provinces = [province for province in provinces if province.pk in own]
    agency_types = list(AgencyType.objects.order_by("code"))
    headquarters = Agency.objects.filter(kind=AgencyKind.HEADQUARTERS).order_by("code").first()
    example = {
        "code": EXAMPLE_CODE,
        "name": "ادارهٔ کل نمونه",
        "kind": kind_label(AgencyKind.PROVINCIAL_UNIT),
        "parent": headquarters.code if headquarters else "",
        "province": provinces[0].code if provinces else "",
        "county": "",
        "agency_type": agency_types[0].code if agency_types else "",
        "has_county_units": NO,
        "is_active": YES,
    }
    content = write_template(provinces=provinces, agency_types=agency_types, example=example)
    return xlsx_response(
        content, filename="نمونهٔ-ورود-دستگاه‌ها.xlsx", ascii_name="agencies-template.xlsx"
    )


@login_required
@require_GET
def agency_export(request: HttpRequest) -> HttpResponse:
    require(request.user, "agency.export")
    agencies = search_agencies(user=request.user, query=request.GET.get("q", ""))
    content = write_agencies(agencies.iterator(chunk_size=2000), count=agencies.count())
    today = _today()
    return xlsx_response(
        content, filename=f"دستگاه‌ها-{today}.xlsx", ascii_name=f"agencies-{today}.xlsx"
    )
