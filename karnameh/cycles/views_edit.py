"""Staff pages that change a cycle: calendar, participants, weights, workshops and attendance."""

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from karnameh.accounts.permissions import require
from karnameh.accounts.throttle import client_ip
from karnameh.agencies.models import AgencyType
from karnameh.catalogue.store import engine_catalogue
from karnameh.common.errors import DomainError

from .forms import (
    AttendanceForm,
    CalendarReasonForm,
    ParticipantsForm,
    StepForm,
    UploadForm,
    WeightsForm,
    WorkshopForm,
)
from .models import Cycle, Workshop
from .selectors import calendar, visible_cycle
from .services import eligible_agencies, participants_set, step_update, weights_set
from .workshops import attendance_record, workshop_material_add, workshop_save


def _managed(request: HttpRequest, pk: int) -> Cycle:
    cycle = visible_cycle(request.user, pk)
    require(request.user, "cycle.change", cycle)
    return cycle


@login_required
def calendar_edit(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _managed(request, pk)
    rows = calendar(cycle)
    data = request.POST or None
    forms = [(row, StepForm.for_step(data, row.step)) for row in rows]
    reason = CalendarReasonForm(data)
    if request.method == "POST" and reason.is_valid() and all(f.is_valid() for _r, f in forms):
        try:
            # All twelve or none: one wrong step leaves the calendar as it was.
            with transaction.atomic():
                for row, form in forms:
                    step_update(
                        actor=request.user,
                        step=row.step,
                        planned_start=form.cleaned_data["planned_start"],
                        planned_end=form.cleaned_data["planned_end"],
                        reason=reason.cleaned_data["reason"],
                        ip=client_ip(request),
                    )
        except DomainError as error:
            reason.add_error(None, error.message)
        else:
            messages.success(request, _("The calendar was saved."))
            return redirect("cycles:detail", pk=cycle.pk)
    context = {"cycle": cycle, "forms": forms, "reason_form": reason}
    return render(request, "cycles/calendar_edit.html", context)


@login_required
def participants_edit(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _managed(request, pk)
    eligible = eligible_agencies(cycle).order_by("agency_type__name", "code")
    current = list(cycle.participations.values_list("agency_id", flat=True))
    form = ParticipantsForm(request.POST or None, eligible=eligible, initial={"agencies": current})
    if request.method == "POST" and form.is_valid():
        try:
            participants_set(
                actor=request.user,
                cycle=cycle,
                agencies=list(form.cleaned_data["agencies"]),
                reason=form.cleaned_data["reason"],
                ip=client_ip(request),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The participating agencies were saved."))
            return redirect("cycles:detail", pk=cycle.pk)
    chosen = {str(v) for v in (form["agencies"].value() or [])}
    groups = [
        (agency_type, [(a, str(a.pk) in chosen) for a in agencies])
        for agency_type, agencies in groupby(eligible, key=lambda a: a.agency_type)
    ]
    context = {"cycle": cycle, "form": form, "groups": groups}
    return render(request, "cycles/participants_edit.html", context)


@login_required
def weights_index(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _managed(request, pk)
    stored = {w.agency_type_id: w for w in cycle.weight_sets.all()}
    types = [(t, stored.get(t.pk)) for t in AgencyType.objects.order_by("name")]
    return render(request, "cycles/weights_index.html", {"cycle": cycle, "types": types})


@login_required
def weights_edit(request: HttpRequest, pk: int, type_code: str) -> HttpResponse:
    cycle = _managed(request, pk)
    agency_type = get_object_or_404(AgencyType, code=type_code)
    found = cycle.weight_sets.filter(agency_type=agency_type).first()
    form = WeightsForm(
        request.POST or None,
        catalogue=engine_catalogue(cycle.general_catalogue),
        stored=found.weights if found else {},
    )
    if request.method == "POST" and form.is_valid():
        try:
            weights_set(
                actor=request.user,
                cycle=cycle,
                agency_type=agency_type,
                weights=form.weights(),
                reason=form.cleaned_data["reason"],
                ip=client_ip(request),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The weights were saved."))
            return redirect("cycles:weights", pk=cycle.pk)
    context = {"cycle": cycle, "form": form, "agency_type": agency_type}
    return render(request, "cycles/weights_edit.html", context)


@login_required
def workshop_edit(request: HttpRequest, pk: int, workshop: int | None = None) -> HttpResponse:
    cycle = _managed(request, pk)
    found = get_object_or_404(Workshop, pk=workshop, cycle=cycle) if workshop else None
    form = WorkshopForm.for_workshop(request.POST or None, found)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = workshop_save(
                actor=request.user,
                cycle=cycle,
                workshop=found,
                step=data["step"],
                title=data["title"],
                audience=data["audience"],
                starts_at=form.starts_at(),
                place=data["place"],
                description=data["description"],
                ip=client_ip(request),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The workshop was saved."))
            return redirect("cycles:workshop", pk=cycle.pk, workshop=saved.pk)
    context = {"cycle": cycle, "form": form, "workshop": found}
    return render(request, "cycles/workshop_form.html", context)


@login_required
def workshop_detail(request: HttpRequest, pk: int, workshop: int) -> HttpResponse:
    """The workshop, its materials and attendance; staff upload materials and record attendance."""
    cycle = _managed(request, pk)
    found = get_object_or_404(
        Workshop.objects.prefetch_related("materials"), pk=workshop, cycle=cycle
    )
    agencies = [p.agency for p in cycle.participations.select_related("agency")]
    existing = list(found.attendance.all())
    upload = UploadForm()
    form = AttendanceForm(request.POST or None, agencies=agencies, existing=existing)
    if request.method == "POST" and "upload" in request.FILES:
        upload = UploadForm(request.POST, request.FILES)
        if upload.is_valid():
            try:
                workshop_material_add(
                    actor=request.user,
                    workshop=found,
                    upload=upload.cleaned_data["upload"],
                    ip=client_ip(request),
                )
            except DomainError as error:
                upload.add_error("upload", error.message)
            else:
                messages.success(request, _("The file was added."))
                return redirect("cycles:workshop", pk=cycle.pk, workshop=found.pk)
        form = AttendanceForm(None, agencies=agencies, existing=existing)
    elif request.method == "POST" and form.is_valid():
        try:
            attendance_record(
                actor=request.user, workshop=found, rows=form.rows(), ip=client_ip(request)
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The attendance was saved."))
            return redirect("cycles:workshop", pk=cycle.pk, workshop=found.pk)
    context = {"cycle": cycle, "workshop": found, "form": form, "upload_form": upload}
    return render(request, "cycles/workshop_detail.html", context)
