from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from karnameh.accounts.permissions import may, require, visible_agencies
from karnameh.accounts.throttle import client_ip
from karnameh.audit.services import history
from karnameh.common.errors import DomainError

from .forms import AgencyForm
from .models import Agency
from .selectors import search_agencies
from .services import agency_create, agency_update


@login_required
def agency_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "agency.list")
    query = request.GET.get("q", "")
    page = Paginator(search_agencies(user=request.user, query=query), 50).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "query": query,
        "may_create": may(request.user, "agency.create"),
        "may_import": may(request.user, "agency.import"),
        "may_export": may(request.user, "agency.export"),
    }
    template = "agencies/_rows.html" if request.htmx else "agencies/list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


def _visible(request: HttpRequest, code: str) -> Agency:
    # Another province's agency is "not found", not "forbidden": its existence is not shown.
    return get_object_or_404(visible_agencies(request.user), code=code)


@login_required
def agency_detail(request: HttpRequest, code: str) -> HttpResponse:
    agency = _visible(request, code)
    require(request.user, "agency.view", agency)
    context = {
        "agency": agency,
        "children": visible_agencies(request.user).filter(parent=agency).order_by("code"),
        "may_change": may(request.user, "agency.change", agency),
        "events": history(agency)[:20] if may(request.user, "audit.view", agency) else None,
    }
    return render(request, "agencies/detail.html", context)


@login_required
def agency_create_view(request: HttpRequest) -> HttpResponse:
    require(request.user, "agency.create")
    form = AgencyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            agency = agency_create(actor=request.user, data=form.changes(), ip=client_ip(request))
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Agency %(name)s was registered.") % {"name": agency.name})
            return redirect("agencies:detail", code=agency.code)
    return render(request, "agencies/form.html", {"form": form, "agency": None})


@login_required
def agency_edit(request: HttpRequest, code: str) -> HttpResponse:
    agency = _visible(request, code)
    require(request.user, "agency.change", agency)
    form = AgencyForm(request.POST or None, instance=agency, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            agency = agency_update(
                agency=Agency.objects.get(pk=agency.pk),
                actor=request.user,
                data=form.changes(),
                reason=form.cleaned_data["reason"],
                ip=client_ip(request),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("agencies:detail", code=agency.code)
    return render(request, "agencies/form.html", {"form": form, "agency": agency})
