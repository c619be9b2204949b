"""The cycle pages: list, create, the calendar and everything on it, publish, the circular.

Edit pages for the calendar, participants, weights and workshops are in views_edit.py.
Another province's cycle, and a draft for an agency, are "not found" (visible_cycle).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from karnameh.accounts.models import Role
from karnameh.accounts.permissions import has_role, may, require
from karnameh.accounts.throttle import client_ip
from karnameh.common.errors import DomainError
from karnameh.files.responses import file_response

from .forms import CycleCreateForm, CycleEditForm, UploadForm
from .models import Cycle, Step, Workshop
from .selectors import calendar, visible_cycle, visible_cycles, visible_participations
from .services import (
    circular_attach,
    cycle_create,
    cycle_publish,
    cycle_update,
    step_finish,
    step_start,
)


@login_required
def cycle_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "cycle.list")
    context = {
        "cycles": visible_cycles(request.user).order_by("-year", "province__name"),
        "may_create": may(request.user, "cycle.create"),
    }
    return render(request, "cycles/list.html", context)


@login_required
def cycle_create_view(request: HttpRequest) -> HttpResponse:
    require(request.user, "cycle.create")
    form = CycleCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cycle = cycle_create(
                actor=request.user,
                year=data["year"],
                level=data["level"],
                province=data["province"],
                title=data["title"],
                general_catalogue=data["general_catalogue"],
                start=data["start"],
                composition=form.composition(),
                ip=client_ip(request),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The cycle was created as a draft."))
            return redirect("cycles:detail", pk=cycle.pk)
    return render(request, "cycles/form.html", {"form": form, "cycle": None})


def _workshops(cycle: Cycle) -> list[Workshop]:
    return list(cycle.workshops.prefetch_related("materials"))


@login_required
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = visible_cycle(request.user, pk)
    participations = (
        visible_participations(request.user).filter(cycle=cycle).order_by("agency__code")
    )
    may_change = may(request.user, "cycle.change", cycle)
    context = {
        "cycle": cycle,
        "calendar": calendar(cycle),
        "participations": participations,
        "workshops": _workshops(cycle),
        "may_change": may_change and cycle.status != "closed",
        "may_publish": not cycle.is_published and may(request.user, "cycle.publish", cycle),
        "upload_form": UploadForm() if may_change and not cycle.is_published else None,
        "circular": cycle.circular,
        # Evaluation (steps 8 on): staff assign evaluators, an evaluator opens their queue.
        "may_assign": cycle.is_published and may(request.user, "evaluation.assign", cycle),
        "is_evaluator": cycle.is_published and has_role(request.user, Role.EVALUATOR),
        # Inquiries and objections (steps 8–9), each page checking its own rule again.
        "may_inquiries": cycle.is_published and may(request.user, "inquiry.manage", cycle),
        "may_objections": cycle.is_published and may(request.user, "objection.cycle", cycle),
        "sits": cycle.is_published and may(request.user, "objection.queue", cycle),
        # Steps 10–11 and publication (results app).
        "may_approve": cycle.is_published and may(request.user, "results.view", cycle),
        "released": may(request.user, "results.public", cycle),
        # Results (issue 6): the running cycle's dashboard and the exports.
        "may_dashboard": cycle.is_published and may(request.user, "dashboard.cycle", cycle),
        "may_exports": cycle.is_published and may(request.user, "exports.results", cycle),
        "may_province": cycle.is_published and may(request.user, "reports.province", cycle),
    }
    return render(request, "cycles/detail.html", context)


@login_required
def cycle_edit(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = visible_cycle(request.user, pk)
    require(request.user, "cycle.change", cycle)
    form = CycleEditForm.for_cycle(request.POST or None, cycle)
    if request.method == "POST" and form.is_valid():
        try:
            cycle_update(
                actor=request.user,
                cycle=cycle,
                title=form.cleaned_data["title"],
                composition=form.composition(),
                reason=form.cleaned_data["reason"],
                ip=client_ip(request),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("cycles:detail", pk=cycle.pk)
    return render(request, "cycles/form.html", {"form": form, "cycle": cycle})


def _message(request: HttpRequest, error: DomainError) -> None:
    messages.error(request, error.message)


@login_required
@require_POST
def cycle_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = visible_cycle(request.user, pk)
    # A refusal is a 403, not a message on the cycle's page.
    require(request.user, "cycle.publish", cycle)
    try:
        cycle_publish(actor=request.user, cycle=cycle, ip=client_ip(request))
    except DomainError as error:
        _message(request, error)
    else:
        messages.success(request, _("The cycle was published and the agencies were told."))
    return redirect("cycles:detail", pk=cycle.pk)


@login_required
@require_POST
def circular_upload(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = visible_cycle(request.user, pk)
    require(request.user, "cycle.change", cycle)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the circular's file."))
        return redirect("cycles:detail", pk=cycle.pk)
    try:
        circular_attach(
            actor=request.user,
            cycle=cycle,
            upload=form.cleaned_data["upload"],
            ip=client_ip(request),
        )
    except DomainError as error:
        _message(request, error)
    else:
        messages.success(request, _("The circular was attached."))
    return redirect("cycles:detail", pk=cycle.pk)


@login_required
def circular_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    cycle = visible_cycle(request.user, pk)
    if cycle.circular is None:
        raise Http404
    return file_response(cycle.circular)


@login_required
def material_download(request: HttpRequest, pk: int, workshop: int, file: int) -> HttpResponseBase:
    cycle = visible_cycle(request.user, pk)
    found = get_object_or_404(Workshop, pk=workshop, cycle=cycle)
    stored = get_object_or_404(found.materials.all(), pk=file)
    return file_response(stored)


@login_required
@require_POST
def step_mark(request: HttpRequest, pk: int, number: int, what: str) -> HttpResponse:
    """Record that a step actually started or ended (now)."""
    cycle = visible_cycle(request.user, pk)
    require(request.user, "cycle.change", cycle)
    step = get_object_or_404(Step, cycle=cycle, number=number)
    service = {"start": step_start, "finish": step_finish}.get(what)
    if service is None:
        raise Http404
    try:
        service(actor=request.user, step=step, ip=client_ip(request))
    except DomainError as error:
        _message(request, error)
    return redirect("cycles:detail", pk=cycle.pk)
