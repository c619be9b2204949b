"""The approvals page (steps 10–11 and publication) and the public ranking. Services decide."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from karnameh.accounts.permissions import may
from karnameh.accounts.throttle import client_ip
from karnameh.common.errors import DomainError
from karnameh.files.responses import file_response

from .forms import ApproveForm, CouncilForm, ReopenForm
from .locks import approvals_in_force, is_released
from .models import Approval, Stage
from .ranking import fixed_results, order
from .readiness import readiness
from .selectors import public_cycle, ranking, results_cycle
from .services import council_approve, final_approve, publish, reopen


@login_required
def approvals_view(request: HttpRequest, cycle: int) -> HttpResponse:
    found = results_cycle(request.user, cycle)
    held = approvals_in_force(found)
    context = {
        "cycle": found,
        "readiness": readiness(found),
        "deputy": held.get(Stage.DEPUTY),
        "council": held.get(Stage.COUNCIL),
        "history": Approval.objects.filter(cycle=found, withdrawn_at__isnull=False)
        .select_related("approved_by", "withdrawn_by")
        .order_by("-withdrawn_at"),
        "results": ranking(found),
        "released": is_released(found),
        "release": getattr(found, "release", None) if is_released(found) else None,
        "may": {
            action: may(request.user, f"results.{action}", found)
            for action in ("approve", "council", "reopen", "publish")
        },
        "approve_form": ApproveForm(),
        "council_form": CouncilForm(),
        "reopen_form": ReopenForm(),
    }
    return render(request, "results/approvals.html", context)


def _act(
    request: HttpRequest, cycle: int, action: Callable[..., Any], done: str, **kwargs: Any
) -> HttpResponse:
    found = results_cycle(request.user, cycle)
    try:
        action(actor=request.user, cycle=found, ip=client_ip(request), **kwargs)
    except DomainError as error:
        if error.status_code == 403:
            raise
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("results:approvals", cycle=found.pk)


@login_required
@require_POST
def approve_view(request: HttpRequest, cycle: int) -> HttpResponse:
    form = ApproveForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return _act(request, cycle, final_approve, _("The final approval was recorded."), note=note)


@login_required
@require_POST
def council_view(request: HttpRequest, cycle: int) -> HttpResponse:
    form = CouncilForm(request.POST, request.FILES)
    form.is_valid()
    return _act(
        request,
        cycle,
        council_approve,
        _("The council's approval of the ranking was recorded."),
        minutes=form.cleaned_data.get("minutes"),
        note=form.cleaned_data.get("note", ""),
    )


@login_required
@require_POST
def reopen_view(request: HttpRequest, cycle: int) -> HttpResponse:
    form = ReopenForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(request, cycle, reopen, _("The scores were reopened."), reason=reason)


@login_required
@require_POST
def publish_view(request: HttpRequest, cycle: int) -> HttpResponse:
    return _act(request, cycle, publish, _("The results were published."))


def public_view(request: HttpRequest, cycle: int) -> HttpResponse:
    """The published ranking; no sign-in needed. Before the release it does not exist (404)."""
    found = public_cycle(request.user, cycle)
    ranked = order(fixed_results(found, light=True))
    return render(request, "results/public.html", {"cycle": found, "ranked": ranked})


@login_required
def minutes_view(request: HttpRequest, cycle: int, pk: int) -> HttpResponseBase:
    """The minutes attached to an approval (in force or withdrawn): the organization's side."""
    found = results_cycle(request.user, cycle)
    approval = get_object_or_404(Approval, pk=pk, cycle=found, minutes__isnull=False)
    assert approval.minutes is not None
    return file_response(approval.minutes)
