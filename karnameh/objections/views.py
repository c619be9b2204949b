"""The agency's objections and its filing form; one objection's page with the moves each
reader may make (withdraw, route, decide). Every change goes through ``services``.

Scores (the one objected to, the new one, the score that counts) are shown only where
``scores.view`` allows; self-scores are the agency's own figures and always shown.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from karnameh.accounts.permissions import may, require
from karnameh.accounts.throttle import client_ip
from karnameh.assessments.forms import AnswerForm
from karnameh.assessments.models import Part
from karnameh.common.errors import DomainError, Forbidden
from karnameh.cycles.models import Participation
from karnameh.cycles.selectors import visible_cycle, visible_participation
from karnameh.files.responses import file_response
from karnameh.scoring.engine import STATUS_LABELS

from .forms import DecisionForm, FileForm, RouteForm, WithdrawForm
from .models import ExpertGroup, Objection, ObjectionState
from .selectors import agency_objections, groups, objection_or_404
from .services import (
    excluded,
    objection_decide,
    objection_file,
    objection_preview,
    objection_route,
    objection_withdraw,
)
from .standing import Standing, scored_gauges, standing
from .window import objection_window


@dataclass(frozen=True)
class GaugeLine:
    standing: Standing
    open: Objection | None


def _participation(request: HttpRequest, cycle: int, agency: str) -> Participation:
    p = visible_participation(request.user, cycle, agency)
    require(request.user, "objection.list", p)
    return p


@login_required
def agency_view(request: HttpRequest, cycle: int, agency: str) -> HttpResponse:
    """The agency's objections and every scored gauge it may object to."""
    p = _participation(request, cycle, agency)
    objections = agency_objections(p)
    for o in objections:
        o.participation = p  # one participation (and cycle) object: the embargo check is cached
    held = {(o.part, o.gauge_code): o for o in objections if o.is_open}
    window = objection_window(p.cycle)
    context = {
        "participation": p,
        "cycle": p.cycle,
        "objections": objections,
        "lines": [GaugeLine(s, held.get((s.part, s.code))) for s in scored_gauges(p)],
        "shows": may(request.user, "scores.view", p),
        "window": window,
        "window_open": window is not None and window.is_open(),
        "may_file": may(request.user, "objection.file", p),
    }
    return render(request, "objections/agency.html", context)


def _standing(p: Participation, part: str, gauge: str) -> Standing:
    if part not in Part.values:
        raise Http404
    found = standing(p, part, gauge)
    if found is None:
        raise Http404
    return found


@login_required
def file_view(request: HttpRequest, cycle: int, agency: str, part: str, gauge: str) -> HttpResponse:
    """The filing form, reached from a scored gauge; a POST files the objection."""
    p = _participation(request, cycle, agency)
    require(request.user, "objection.file", p)
    found = _standing(p, part, gauge)
    form = FileForm(request.POST, request.FILES) if request.method == "POST" else FileForm()
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            objection = objection_file(
                actor=request.user,
                participation=p,
                part=part,
                gauge_code=gauge,
                reasoning=form.cleaned_data["reasoning"],
                uploads=form.cleaned_data["files"],
                ip=client_ip(request),
            )
        except Forbidden:
            raise
        except DomainError as refused:
            error = refused.message
        else:
            messages.success(request, _("Your objection was filed."))
            return redirect("objections:detail", cycle=p.cycle_id, pk=objection.pk)
    window = objection_window(p.cycle)
    context = {
        "participation": p,
        "cycle": p.cycle,
        "found": found,
        "form": form,
        "error": error,
        "shows": may(request.user, "scores.view", p),
        "window": window,
        "window_open": window is not None and window.is_open(),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "objections/file.html", context, status=status)


def _answer_form(found: Standing, data: Any = None) -> AnswerForm:
    form = AnswerForm(
        data,
        indicator=found.indicator,
        gauge=found.gauge,
        stored=found.given if data is None else None,
    )
    if "score" in form.fields:
        form.fields["score"].label = _("Score (the expert group's judgement)")
    return form


def _detail(
    request: HttpRequest,
    objection: Objection,
    *,
    answer_form: AnswerForm | None = None,
    decision_form: DecisionForm | None = None,
    error: str | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    p = objection.participation
    found = standing(p, objection.part, objection.gauge_code)
    meetings = list(objection.group.meetings.order_by("-held_on")) if objection.group else []
    may_decide = (
        objection.state == ObjectionState.ROUTED
        and may(user, "objection.decide", objection)
        and all(person.pk != user.pk for person in excluded(objection))
    )
    context: dict[str, Any] = {
        "objection": objection,
        "participation": p,
        "cycle": p.cycle,
        "found": found,
        "shows": may(user, "scores.view", p),
        "evidence": list(objection.evidence.all()),
        "error": error,
        "may_withdraw": objection.is_open and may(user, "objection.withdraw", objection),
        "may_route": objection.is_open and may(user, "objection.route", objection),
        "may_decide": may_decide and found is not None,
        "withdraw_form": WithdrawForm(),
        "labels": STATUS_LABELS,
    }
    if context["may_route"]:
        choices = [(g.pk, g.name) for g in groups(p.cycle)]
        context["route_form"] = RouteForm(groups=choices, initial={"group": objection.group_id})
    if context["may_decide"]:
        assert found is not None
        answer_form = answer_form or _answer_form(found)
        context["answer_form"] = answer_form
        context["tables"] = answer_form.table_rows()
        context["decision_form"] = decision_form or DecisionForm(
            meetings=[(m.pk, m.held_on) for m in meetings]
        )
        context["meetings"] = meetings
    return render(request, "objections/detail.html", context, status=status)


@login_required
def detail_view(request: HttpRequest, cycle: int, pk: int) -> HttpResponse:
    return _detail(request, objection_or_404(request.user, visible_cycle(request.user, cycle), pk))


def _act(request: HttpRequest, objection: Objection, run: Any, done: str) -> HttpResponse:
    try:
        run()
    except Forbidden:
        raise
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, done)
    return redirect("objections:detail", cycle=objection.participation.cycle_id, pk=objection.pk)


@login_required
@require_POST
def withdraw_view(request: HttpRequest, cycle: int, pk: int) -> HttpResponse:
    objection = objection_or_404(request.user, visible_cycle(request.user, cycle), pk)
    require(request.user, "objection.withdraw", objection)
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(
        request,
        objection,
        lambda: objection_withdraw(
            actor=request.user, objection=objection, reason=reason, ip=client_ip(request)
        ),
        _("The objection was withdrawn."),
    )


@login_required
@require_POST
def route_view(request: HttpRequest, cycle: int, pk: int) -> HttpResponse:
    found = visible_cycle(request.user, cycle)
    objection = objection_or_404(request.user, found, pk)
    require(request.user, "objection.route", objection)
    form = RouteForm(request.POST, groups=[(g.pk, g.name) for g in groups(found)])
    group = None
    if form.is_valid():
        group = ExpertGroup.objects.filter(cycle=found, pk=form.cleaned_data["group"]).first()
    if group is None:
        messages.error(request, _("Choose one of this cycle's expert groups."))
        return redirect("objections:detail", cycle=found.pk, pk=objection.pk)
    return _act(
        request,
        objection,
        lambda: objection_route(
            actor=request.user, objection=objection, group=group, ip=client_ip(request)
        ),
        _("The objection was sent to the expert group %(group)s.") % {"group": group.name},
    )


@login_required
@require_POST
def decide_view(request: HttpRequest, cycle: int, pk: int) -> HttpResponse:
    objection = objection_or_404(request.user, visible_cycle(request.user, cycle), pk)
    require(request.user, "objection.decide", objection)
    found = _standing(objection.participation, objection.part, objection.gauge_code)
    meetings = list(objection.group.meetings.all()) if objection.group else []
    answer_form = _answer_form(found, request.POST)
    decision_form = DecisionForm(request.POST, meetings=[(m.pk, m.held_on) for m in meetings])
    forms_ok = decision_form.is_valid()
    accepted = forms_ok and decision_form.cleaned_data["outcome"] == "accept"
    if accepted and not answer_form.is_valid():
        forms_ok = False
    if not forms_ok:
        return _detail(
            request,
            objection,
            answer_form=answer_form,
            decision_form=decision_form,
            error=_("Check the highlighted fields."),
            status=400,
        )
    chosen = decision_form.cleaned_data.get("meeting")
    meeting = next((m for m in meetings if m.pk == chosen), None) if chosen else None
    try:
        objection_decide(
            actor=request.user,
            objection=objection,
            accepted=accepted,
            reasons=decision_form.cleaned_data["reasons"],
            data=answer_form.answer_data() if accepted else None,
            meeting=meeting,
            ip=client_ip(request),
        )
    except Forbidden:
        raise
    except DomainError as refused:
        return _detail(
            request,
            objection,
            answer_form=answer_form,
            decision_form=decision_form,
            error=refused.message,
            status=400,
        )
    messages.success(request, _("The decision was recorded and the agency was told."))
    return redirect("objections:detail", cycle=objection.participation.cycle_id, pk=objection.pk)


@login_required
@require_POST
def preview_view(request: HttpRequest, cycle: int, pk: int) -> HttpResponse:
    """The live engine score of the answer as typed in the decision form (htmx); not saved."""
    objection = objection_or_404(request.user, visible_cycle(request.user, cycle), pk)
    require(request.user, "objection.decide", objection)
    # The form starts from the answer that counts: its score is that answer's score.
    require(request.user, "scores.view", objection.participation)
    found = _standing(objection.participation, objection.part, objection.gauge_code)
    form = _answer_form(found, request.POST)
    context: dict[str, Any] = {"live": True}
    if not form.is_valid():
        context["error"] = _("Check the highlighted fields.")
    else:
        try:
            result = objection_preview(
                actor=request.user, objection=objection, data=form.answer_data()
            )
        except Forbidden:
            raise
        except DomainError as refused:
            context["error"] = refused.message
        else:
            context["result"] = result
            context["status_label"] = STATUS_LABELS.get(result.status, result.status)
    return render(request, "assessments/_gauge_score.html", context)


@login_required
def evidence_view(request: HttpRequest, cycle: int, pk: int, file: int) -> HttpResponseBase:
    objection = objection_or_404(request.user, visible_cycle(request.user, cycle), pk)
    stored = get_object_or_404(objection.evidence.all(), pk=file)
    return file_response(stored)
