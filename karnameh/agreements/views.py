"""MoU pages: a cycle's overview with the Excel import, and one agency's MoU and indicators.

Every action posts to its own address and calls its one service; a refusal re-renders the
agency's page with the message next to the form, and nothing is saved.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from karnameh.accounts.permissions import may, require
from karnameh.accounts.throttle import client_ip
from karnameh.agencies.excel import ImportRejected
from karnameh.catalogue.models import Catalogue, Kind, Level
from karnameh.catalogue.selectors import visible_catalogues
from karnameh.common.errors import DomainError
from karnameh.common.excel import xlsx_response
from karnameh.cycles.deadlines import deadline
from karnameh.cycles.models import Cycle, Participation
from karnameh.cycles.selectors import visible_participations
from karnameh.cycles.steps import SPECIFIC_INDICATORS

from .excel import targets_import, write_template
from .forms import AssignForm, ImportForm, SliceForm, TargetsForm, field_name
from .models import Agreement
from .selectors import (
    cycle_overview,
    mou_state,
    slice_due,
    slice_overdue,
    targets_needed,
    versions,
    visible_mou,
    visible_mou_cycle,
)
from .services import (
    SIDES,
    TargetsRejected,
    agreement_approve,
    agreement_impose,
    agreement_start,
    missing_targets,
    slice_create,
    specific_assign,
    targets_set,
)

IMPOSE = "impose"


def _assignable(user: Any, cycle: Cycle) -> QuerySet[Catalogue]:
    """Specific catalogues of the cycle's year: of its level, or slices in its province."""
    fits = Q(level=cycle.level)
    if cycle.level == Level.PROVINCIAL:
        fits |= Q(level=Level.NATIONAL, province_id=cycle.province_id)
    return (
        visible_catalogues(user).filter(fits, kind=Kind.SPECIFIC, year=cycle.year).order_by("code")
    )


def _slice_sources(user: Any) -> QuerySet[Catalogue]:
    return (
        visible_catalogues(user)
        .filter(kind=Kind.SPECIFIC, level=Level.NATIONAL, province__isnull=True)
        .order_by("-year", "code")
    )


def _page(
    request: HttpRequest, participation: Participation, status: int = 200, **forms: Any
) -> HttpResponse:
    user = request.user
    cycle = participation.cycle
    history = versions(participation)
    state = mou_state(history)
    needed = targets_needed(participation)
    in_force = (
        {(t.part, t.gauge_code): t.value for t in state.in_force.targets.all()}
        if state.in_force
        else {}
    )
    draft_values = (
        {(t.part, t.gauge_code): t.value for t in state.draft.targets.all()} if state.draft else {}
    )
    may_change = may(user, "agreement.change", participation)
    may_assign = may(user, "specific.assign", participation)
    closes = deadline(participation, SPECIFIC_INDICATORS)
    may_impose = may(user, "agreement.impose", participation)
    impose_open = may_impose and closes.passed() and state.in_force is None
    if state.draft and may_change and "targets_form" not in forms:
        forms["targets_form"] = TargetsForm(needed=needed, values=draft_values)
    if impose_open and "impose_form" not in forms:
        forms["impose_form"] = TargetsForm(
            needed=needed, values=draft_values, reason_required=True, prefix=IMPOSE
        )
    if may_assign:
        forms.setdefault("assign_form", AssignForm(catalogues=_assignable(user, cycle)))
        forms.setdefault("slice_form", SliceForm(sources=_slice_sources(user)))
    approvals = [
        side
        for side in SIDES
        if state.draft
        and getattr(state.draft, f"{side}_approved_at") is None
        and may(user, f"agreement.approve_{side}", participation)
    ]
    context = {
        "participation": participation,
        "cycle": cycle,
        "history": history,
        "state": state,
        "rows": [
            {
                "part": part,
                "indicator": indicator,
                "gauge": gauge,
                "in_force": in_force.get((part, gauge.code)),
                "draft": draft_values.get((part, gauge.code)),
            }
            for part, indicator, gauge in needed
        ],
        "missing": (missing_targets(participation, set(draft_values)) if state.draft else []),
        "may_change": may_change,
        "may_assign": may_assign,
        "may_impose": may_impose,
        "impose_open": impose_open,
        "deadline": closes,
        "step": SPECIFIC_INDICATORS,
        "approvals": approvals,
        "slice_due": slice_due(cycle),
        "slice_overdue": slice_overdue(participation),
        "now": timezone.now(),
        **forms,
    }
    return render(request, "agreements/participation.html", context, status=status)


@login_required
@require_GET
def participation_view(request: HttpRequest, cycle_pk: int, agency_code: str) -> HttpResponse:
    return _page(request, visible_mou(request.user, cycle_pk, agency_code))


def _back(participation: Participation) -> HttpResponse:
    return redirect(
        "agreements:participation",
        cycle_pk=participation.cycle_id,
        agency_code=participation.agency.code,
    )


@login_required
@require_POST
def assign_view(request: HttpRequest, cycle_pk: int, agency_code: str) -> HttpResponse:
    participation = visible_mou(request.user, cycle_pk, agency_code)
    require(request.user, "specific.assign", participation)
    form = AssignForm(request.POST, catalogues=_assignable(request.user, participation.cycle))
    if form.is_valid():
        try:
            specific_assign(
                actor=request.user,
                participation=participation,
                catalogue=form.cleaned_data["catalogue"],
                reason=form.cleaned_data["reason"],
                ip=client_ip(request),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The specific indicators were assigned."))
            return _back(participation)
    return _page(request, participation, status=400, assign_form=form)


@login_required
@require_POST
def slice_view(request: HttpRequest, cycle_pk: int, agency_code: str) -> HttpResponse:
    participation = visible_mou(request.user, cycle_pk, agency_code)
    require(request.user, "specific.assign", participation)
    form = SliceForm(request.POST, sources=_slice_sources(request.user))
    if form.is_valid():
        data = form.cleaned_data
        try:
            slice_create(
                actor=request.user,
                participation=participation,
                source=data["source"],
                code=data["code"],
                title=data["title"],
                ip=client_ip(request),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The provincial slice was made and assigned."))
            return _back(participation)
    return _page(request, participation, status=400, slice_form=form)


@login_required
@require_POST
def start_view(request: HttpRequest, cycle_pk: int, agency_code: str) -> HttpResponse:
    participation = visible_mou(request.user, cycle_pk, agency_code)
    require(request.user, "agreement.change", participation)
    try:
        agreement_start(actor=request.user, participation=participation, ip=client_ip(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("A new draft version was started."))
    return _back(participation)


def _draft(participation: Participation, pk: int) -> Agreement:
    agreement = Agreement.objects.filter(participation=participation, pk=pk).first()
    if agreement is None:
        raise Http404
    return agreement


def _targets_errors(form: TargetsForm, rejected: TargetsRejected) -> None:
    for key, message in rejected.problems.items():
        name = field_name(key)
        if name in form.fields:
            form.add_error(name, message)
        else:
            form.add_error(None, message)


@login_required
@require_POST
def targets_view(request: HttpRequest, cycle_pk: int, agency_code: str, pk: int) -> HttpResponse:
    participation = visible_mou(request.user, cycle_pk, agency_code)
    require(request.user, "agreement.change", participation)
    agreement = _draft(participation, pk)
    form = TargetsForm(request.POST, needed=targets_needed(participation), values={})
    if form.is_valid():
        try:
            targets_set(
                actor=request.user,
                agreement=agreement,
                targets=form.targets(),
                reason=form.cleaned_data["reason"],
                ip=client_ip(request),
            )
        except TargetsRejected as rejected:
            _targets_errors(form, rejected)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The targets were saved."))
            return _back(participation)
    return _page(request, participation, status=400, targets_form=form)


@login_required
@require_POST
def approve_view(
    request: HttpRequest, cycle_pk: int, agency_code: str, pk: int, side: str
) -> HttpResponse:
    participation = visible_mou(request.user, cycle_pk, agency_code)
    if side not in SIDES:
        raise Http404
    agreement = _draft(participation, pk)
    try:
        agreement_approve(actor=request.user, agreement=agreement, side=side, ip=client_ip(request))
    except DomainError as error:
        if error.status_code == 403:
            raise
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your approval was recorded."))
    return _back(participation)


@login_required
@require_POST
def impose_view(request: HttpRequest, cycle_pk: int, agency_code: str) -> HttpResponse:
    participation = visible_mou(request.user, cycle_pk, agency_code)
    require(request.user, "agreement.impose", participation)
    form = TargetsForm(
        request.POST,
        needed=targets_needed(participation),
        values={},
        reason_required=True,
        prefix=IMPOSE,
    )
    if form.is_valid():
        try:
            agreement_impose(
                actor=request.user,
                participation=participation,
                targets=form.targets(),
                reason=form.cleaned_data["reason"],
                ip=client_ip(request),
            )
        except TargetsRejected as rejected:
            _targets_errors(form, rejected)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The organization's targets are in force."))
            return _back(participation)
    return _page(request, participation, status=400, impose_form=form)


def _cycle_page(
    request: HttpRequest, cycle: Cycle, *, form: ImportForm | None = None, errors: Any = None
) -> HttpResponse:
    participations = visible_participations(request.user).filter(cycle=cycle)
    context = {
        "cycle": cycle,
        "rows": cycle_overview(participations),
        "form": form or ImportForm(),
        "errors": errors,
        "may_import": may(request.user, "agreement.import", cycle),
        "slice_due": slice_due(cycle),
        "now": timezone.now(),
    }
    return render(request, "agreements/cycle.html", context, status=400 if errors else 200)


@login_required
@require_GET
def cycle_view(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    return _cycle_page(request, visible_mou_cycle(request.user, cycle_pk))


@login_required
@require_http_methods(["POST"])
def import_view(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    cycle = visible_mou_cycle(request.user, cycle_pk)
    require(request.user, "agreement.import", cycle)
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = targets_import(
                actor=request.user,
                cycle=cycle,
                upload=upload,
                filename=upload.name,
                ip=client_ip(request),
            )
        except ImportRejected as rejected:
            form.add_error(None, rejected.message)
            return _cycle_page(request, cycle, form=form, errors=rejected.errors)
        messages.success(request, result.summary())
        return redirect("agreements:cycle", cycle_pk=cycle.pk)
    return _cycle_page(request, cycle, form=form, errors=[])


@login_required
@require_GET
def template_view(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    cycle = visible_mou_cycle(request.user, cycle_pk)
    require(request.user, "agreement.import", cycle)
    participations = list(
        Participation.objects.filter(cycle=cycle).select_related(
            "cycle", "cycle__general_catalogue", "agency", "specific_catalogue"
        )
    )
    content = write_template(cycle, participations)
    return xlsx_response(
        content,
        filename=f"نمونهٔ-اهداف-تفاهم‌نامه-{cycle.year}.xlsx",
        ascii_name=f"mou-targets-{cycle.year}.xlsx",
    )
