"""The ranking page (overall and per peer group) and the festival and bonus settings. Services
decide; these pages only read forms and show what the services say."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from karnameh.accounts.permissions import may, require
from karnameh.accounts.throttle import client_ip
from karnameh.common.errors import DomainError
from karnameh.jobs.registry import get_kind

from . import awards
from .forms import NominationForm, PolicyForm
from .locks import is_released
from .models import BonusBand, Nomination
from .ranking import by_peer_group, festival_size, standings
from .selectors import results_cycle

BLANK_BANDS = 3


# Long jobs offered on the ranking page (docs/jobs.md): each shown only to whoever may start it.
OFFERED_JOBS = ("reports.cards", "exports.ranking", "results.recompute")
NEED_RESULTS = {"reports.cards", "exports.ranking"}


def offered_jobs(user: Any, cycle: Any, *, fixed: bool) -> list[Any]:
    kinds = [get_kind(name) for name in OFFERED_JOBS]
    return [
        kind
        for kind in kinds
        if kind is not None
        and (fixed or kind.name not in NEED_RESULTS)
        and may(user, kind.action, cycle)
    ]


@login_required
def ranking_view(request: HttpRequest, cycle: int) -> HttpResponse:
    found = results_cycle(request.user, cycle)
    rows = standings(found, light=True)
    return render(
        request,
        "results/ranking.html",
        {
            "cycle": found,
            "standings": rows,
            "groups": by_peer_group(rows),
            "released": is_released(found),
            "festival_size": festival_size(found),
            "jobs": offered_jobs(request.user, found, fixed=bool(rows)),
        },
    )


def _awards_context(request: HttpRequest, found: Any, **extra: Any) -> dict[str, Any]:
    rows = standings(found, light=True)
    bands = list(BonusBand.objects.filter(cycle=found).order_by("lower"))
    context = {
        "cycle": found,
        "released": is_released(found),
        "may_change": may(request.user, "results.settings", found),
        "festival": [s for s in rows if s.festival],
        "bands": bands,
        "blank_bands": range(BLANK_BANDS),
        "nominations": Nomination.objects.filter(participation__cycle=found).select_related(
            "participation__agency"
        ),
        "policy_form": PolicyForm(initial={"festival_size": festival_size(found)}),
        "nomination_form": NominationForm(cycle=found),
    }
    context.update(extra)
    return context


@login_required
def awards_view(request: HttpRequest, cycle: int) -> HttpResponse:
    found = results_cycle(request.user, cycle)
    return render(request, "results/awards.html", _awards_context(request, found))


def _done(request: HttpRequest, found: Any, action: Any, text: str, **kwargs: Any) -> HttpResponse:
    try:
        action(actor=request.user, ip=client_ip(request), **kwargs)
    except DomainError as error:
        if error.status_code == 403:
            raise
        messages.error(request, error.message)
    else:
        messages.success(request, text)
    return redirect("results:awards", cycle=found.pk)


@login_required
@require_POST
def policy_view(request: HttpRequest, cycle: int) -> HttpResponse:
    found = results_cycle(request.user, cycle)
    # Refused before the form is read: a 403, not a message about the form.
    require(request.user, "results.settings", found)
    form = PolicyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write how many agencies per peer group the festival honours."))
        return redirect("results:awards", cycle=found.pk)
    return _done(
        request,
        found,
        awards.policy_set,
        _("The festival's size was saved."),
        cycle=found,
        festival_size=form.cleaned_data["festival_size"],
    )


@login_required
@require_POST
def bands_view(request: HttpRequest, cycle: int) -> HttpResponse:
    found = results_cycle(request.user, cycle)
    rows = list(
        zip(request.POST.getlist("lower"), request.POST.getlist("coefficient"), strict=False)
    )
    return _done(
        request, found, awards.bands_set, _("The bonus table was saved."), cycle=found, rows=rows
    )


@login_required
@require_POST
def nominate_view(request: HttpRequest, cycle: int) -> HttpResponse:
    found = results_cycle(request.user, cycle)
    require(request.user, "results.settings", found)
    form = NominationForm(request.POST, cycle=found)
    if not form.is_valid():
        messages.error(request, _("Choose the agency and write the nominee's full name."))
        return redirect("results:awards", cycle=found.pk)
    data = form.cleaned_data
    return _done(
        request,
        found,
        awards.nomination_add,
        _("The nomination was recorded."),
        participation=data["participation"],
        kind=data["kind"],
        full_name=data["full_name"],
        position=data["position"],
        reason=data["reason"],
    )


@login_required
@require_POST
def unnominate_view(request: HttpRequest, cycle: int, pk: int) -> HttpResponse:
    found = results_cycle(request.user, cycle)
    nomination = get_object_or_404(
        Nomination.objects.select_related("participation__cycle", "participation__agency"),
        pk=pk,
        participation__cycle=found,
    )
    return _done(
        request,
        found,
        awards.nomination_remove,
        _("The nomination was removed."),
        nomination=nomination,
    )
