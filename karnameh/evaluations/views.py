"""Staff's assignment board and suggestion; an evaluator's queue. All calls go to services."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from karnameh.accounts.models import EvaluatorScope, User
from karnameh.accounts.permissions import may
from karnameh.accounts.throttle import client_ip
from karnameh.agencies.models import Agency
from karnameh.common.errors import DomainError
from karnameh.common.text import persian_digits
from karnameh.cycles.models import Cycle, Participation
from karnameh.cycles.selectors import visible_cycle

from .forms import AssignForm, ConflictForm, RemoveForm
from .models import Assignment
from .selectors import (
    assignable_cycle,
    board,
    conflict_of_cycle,
    declared_conflicts,
    evaluator_loads,
    queue,
    queue_evaluator,
)
from .services import (
    assignment_add,
    assignment_remove,
    assignments_apply,
    conflict_declare,
    conflict_withdraw,
)
from .suggest import suggest


def _assign_form(cycle: Cycle, rows: list[Any], loads: list[Any], data: Any = None) -> AssignForm:
    agencies = [(row.participation.pk, row.participation.agency.name) for row in rows]
    evaluators = [(load.evaluator.pk, load.evaluator.display_name) for load in loads]
    return AssignForm(data, agencies=agencies, evaluators=evaluators)


def _board(request: HttpRequest, cycle: Cycle, form: AssignForm | None = None) -> HttpResponse:
    rows = board(cycle)
    loads = evaluator_loads(cycle)
    context = {
        "cycle": cycle,
        "rows": rows,
        "loads": loads,
        "form": form or _assign_form(cycle, rows, loads),
        "remove_form": RemoveForm(),
        "conflict_form": ConflictForm(),
        "conflicts": declared_conflicts(request.user, cycle),
        "scopes": EvaluatorScope.choices,
    }
    return render(request, "evaluations/board.html", context, status=400 if form else 200)


@login_required
def board_view(request: HttpRequest, cycle: int) -> HttpResponse:
    return _board(request, assignable_cycle(request.user, cycle))


@login_required
@require_POST
def add_view(request: HttpRequest, cycle: int) -> HttpResponse:
    found = assignable_cycle(request.user, cycle)
    form = _assign_form(found, board(found), evaluator_loads(found), request.POST)
    if form.is_valid():
        participation = Participation.objects.filter(
            cycle=found, pk=form.cleaned_data["participation"]
        ).first()
        evaluator = User.objects.filter(pk=form.cleaned_data["evaluator"]).first()
        if participation is None or evaluator is None:
            form.add_error(None, _("Choose an agency and an evaluator from the lists."))
        else:
            try:
                assignment_add(
                    actor=request.user,
                    participation=participation,
                    evaluator=evaluator,
                    scope=form.cleaned_data["scope"],
                    axes=form.axis_codes(),
                    ip=client_ip(request),
                )
            except DomainError as error:
                if error.status_code == 403:
                    raise
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The evaluator was assigned."))
                return redirect("evaluations:board", cycle=found.pk)
    return _board(request, found, form)


@login_required
@require_POST
def remove_view(request: HttpRequest, cycle: int, pk: int) -> HttpResponse:
    found = assignable_cycle(request.user, cycle)
    assignment = get_object_or_404(Assignment, pk=pk, participation__cycle=found)
    form = RemoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write why the assignment is removed."))
        return redirect("evaluations:board", cycle=found.pk)
    try:
        assignment_remove(
            actor=request.user,
            assignment=assignment,
            reason=form.cleaned_data["reason"],
            ip=client_ip(request),
        )
    except DomainError as error:
        if error.status_code == 403:
            raise
        messages.error(request, error.message)
    else:
        messages.success(request, _("The assignment was removed."))
    return redirect("evaluations:board", cycle=found.pk)


def _scope(request: HttpRequest) -> str:
    scope = request.GET.get("scope") or request.POST.get("scope") or EvaluatorScope.GENERAL
    return scope if scope in EvaluatorScope.values else EvaluatorScope.GENERAL


@login_required
def suggest_view(request: HttpRequest, cycle: int) -> HttpResponse:
    found = assignable_cycle(request.user, cycle)
    scope = _scope(request)
    context = {
        "cycle": found,
        "scope": scope,
        "scope_label": EvaluatorScope(scope).label,
        "suggestion": suggest(found, scope),
        "scopes": EvaluatorScope.choices,
    }
    return render(request, "evaluations/suggest.html", context)


@login_required
@require_POST
def apply_view(request: HttpRequest, cycle: int) -> HttpResponse:
    found = assignable_cycle(request.user, cycle)
    scope = _scope(request)
    pairs: list[tuple[int, int]] = []
    for value in request.POST.getlist("pair"):
        first, _sep, second = value.partition(":")
        if first.isdigit() and second.isdigit():
            pairs.append((int(first), int(second)))
    participations = Participation.objects.filter(cycle=found).in_bulk([p for p, _e in pairs])
    users = User.objects.in_bulk([e for _p, e in pairs])
    try:
        if len(pairs) != len(request.POST.getlist("pair")) or any(
            p not in participations or e not in users for p, e in pairs
        ):
            raise DomainError(_("The proposal is out of date; ask for a new one."), code="stale")
        made = assignments_apply(
            actor=request.user,
            cycle=found,
            scope=scope,
            proposal=[(participations[p], users[e]) for p, e in pairs],
            ip=client_ip(request),
        )
    except DomainError as error:
        if error.status_code == 403:
            raise
        messages.error(request, error.message)
        return redirect(f"{request.path.removesuffix('apply/')}?scope={scope}")
    messages.success(
        request, _("%(count)s assignments were made.") % {"count": persian_digits(len(made))}
    )
    return redirect("evaluations:board", cycle=found.pk)


@login_required
@require_POST
def conflict_view(request: HttpRequest, cycle: int) -> HttpResponse:
    found = visible_cycle(request.user, cycle)
    form = ConflictForm(request.POST)
    back = (
        "evaluations:board"
        if may(request.user, "evaluation.assign", found)
        else "evaluations:queue"
    )
    if not form.is_valid():
        messages.error(request, _("Name the evaluator, the agency and the reason."))
        return redirect(back, cycle=found.pk)
    evaluator = User.objects.filter(username=form.cleaned_data["evaluator"]).first()
    agency = Agency.objects.filter(code=form.cleaned_data["agency"]).first()
    if evaluator is None or agency is None:
        messages.error(request, _("There is no such evaluator or agency."))
        return redirect(back, cycle=found.pk)
    try:
        conflict_declare(
            actor=request.user,
            evaluator=evaluator,
            agency=agency,
            reason=form.cleaned_data["reason"],
            ip=client_ip(request),
        )
    except DomainError as error:
        if error.status_code == 403:
            raise
        messages.error(request, error.message)
    else:
        messages.success(request, _("The conflict of interest was recorded."))
    return redirect(back, cycle=found.pk)


@login_required
@require_POST
def conflict_withdraw_view(request: HttpRequest, cycle: int, pk: int) -> HttpResponse:
    found = visible_cycle(request.user, cycle)
    declaration = conflict_of_cycle(request.user, found, pk)
    try:
        conflict_withdraw(
            actor=request.user,
            declaration=declaration,
            reason=request.POST.get("reason", ""),
            ip=client_ip(request),
        )
    except DomainError as error:
        if error.status_code == 403:
            raise
        messages.error(request, error.message)
    else:
        messages.success(request, _("The declaration was withdrawn."))
    return redirect("evaluations:board", cycle=found.pk)


@login_required
def queue_view(request: HttpRequest, cycle: int) -> HttpResponse:
    found = visible_cycle(request.user, cycle)
    evaluator = queue_evaluator(request.user, found, request.GET.get("evaluator"))
    context = {
        "cycle": found,
        "evaluator": evaluator,
        "queue": queue(found, evaluator),
        "own": evaluator.pk == request.user.pk,
        "conflict_form": ConflictForm(initial={"evaluator": evaluator.get_username()}),
        "conflicts": declared_conflicts(request.user, found, evaluator),
    }
    return render(request, "evaluations/queue.html", context)
