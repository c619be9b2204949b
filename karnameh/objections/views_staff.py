"""The organization's pages: the cycle's objections, in-person objections, expert groups and
their meetings, and a group member's queue. Every change goes through the services."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from karnameh.accounts.models import User
from karnameh.accounts.permissions import may, require
from karnameh.accounts.throttle import client_ip
from karnameh.common.errors import DomainError, Forbidden
from karnameh.cycles.models import Cycle, Participation
from karnameh.cycles.selectors import visible_cycle
from karnameh.files.responses import file_response

from .forms import STATE_FILTER, GroupForm, MeetingForm, MembersForm, RecordForm
from .groups import group_create, group_members, meeting_record
from .models import Meeting, Objection, ObjectionState
from .selectors import (
    cycle_objections,
    group_or_404,
    members_of_cycle,
    queue,
    state_counts,
    visible_groups,
)
from .services import objection_record
from .window import objection_window


def _cycle(request: HttpRequest, pk: int, action: str) -> Cycle:
    found = visible_cycle(request.user, pk)
    require(request.user, action, found)
    return found


def shown_scores(user: Any, objections: list[Objection], cycle: Cycle) -> set[int]:
    """Participations whose scores this user may see, each asked once (``scores.view``)."""
    allowed: dict[int, bool] = {}
    for o in objections:
        o.participation.cycle = cycle  # one cycle object: its release is read once
        if o.participation_id not in allowed:
            allowed[o.participation_id] = may(user, "scores.view", o.participation)
    return {pk for pk, yes in allowed.items() if yes}


@login_required
def cycle_view(request: HttpRequest, cycle: int) -> HttpResponse:
    found = _cycle(request, cycle, "objection.cycle")
    state = request.GET.get("state", "")
    if state not in ObjectionState.values:
        state = ""
    objections = cycle_objections(found, state or None)
    window = objection_window(found)
    counts = state_counts(found)
    context = {
        "cycle": found,
        "objections": objections,
        "shown": shown_scores(request.user, objections, found),
        "state": state,
        "states": [(value, label, counts.get(value, 0)) for value, label in STATE_FILTER],
        "window": window,
        "window_open": window is not None and window.is_open(),
        "manages": may(request.user, "objection.group", found),
    }
    return render(request, "objections/cycle.html", context)


def _record_form(cycle: Cycle, data: Any = None, files: Any = None) -> RecordForm:
    agencies = [
        (p.pk, p.agency.name)
        for p in Participation.objects.filter(cycle=cycle).select_related("agency")
    ]
    return RecordForm(data, files, agencies=agencies)


@login_required
def record_view(request: HttpRequest, cycle: int) -> HttpResponse:
    """An objection the agency brought in person, entered by staff."""
    found = _cycle(request, cycle, "objection.group")
    if request.method != "POST":
        return render(
            request, "objections/record.html", {"cycle": found, "form": _record_form(found)}
        )
    form = _record_form(found, request.POST, request.FILES)
    error = None
    if form.is_valid():
        p = (
            Participation.objects.select_related("cycle", "agency")
            .filter(cycle=found, pk=form.cleaned_data["participation"])
            .first()
        )
        if p is None:
            form.add_error("participation", _("Choose an agency of this cycle."))
        else:
            try:
                objection = objection_record(
                    actor=request.user,
                    participation=p,
                    part=form.cleaned_data["part"],
                    gauge_code=form.cleaned_data["gauge"].strip(),
                    reasoning=form.cleaned_data["reasoning"],
                    representative=form.cleaned_data["representative"],
                    uploads=form.cleaned_data["files"],
                    ip=client_ip(request),
                )
            except Forbidden:
                raise
            except DomainError as refused:
                error = refused.message
            else:
                messages.success(request, _("The objection brought in person was recorded."))
                return redirect("objections:detail", cycle=found.pk, pk=objection.pk)
    context = {"cycle": found, "form": form, "error": error}
    return render(request, "objections/record.html", context, status=400)


def _people(cycle: Cycle) -> list[tuple[int, str]]:
    return [(u.pk, u.display_name) for u in members_of_cycle(cycle)]


def _chosen(cycle: Cycle, ids: list[str]) -> list[User]:
    wanted = {int(i) for i in ids if str(i).isdigit()}
    return list(members_of_cycle(cycle).filter(pk__in=wanted))


@login_required
def groups_view(request: HttpRequest, cycle: int) -> HttpResponse:
    """The cycle's expert groups (a member sees their own); staff create groups here."""
    found = visible_cycle(request.user, cycle)
    manages = may(request.user, "objection.group", found)
    if not manages:
        require(request.user, "objection.queue", found)
    people = _people(found) if manages else []
    form = GroupForm(people=people)
    status = 200
    if request.method == "POST":
        require(request.user, "objection.group", found)
        form = GroupForm(request.POST, people=people)
        if form.is_valid():
            try:
                group = group_create(
                    actor=request.user,
                    cycle=found,
                    name=form.cleaned_data["name"],
                    members=_chosen(found, form.cleaned_data["members"]),
                    ip=client_ip(request),
                )
            except Forbidden:
                raise
            except DomainError as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("The expert group was created."))
                return redirect("objections:group", cycle=found.pk, pk=group.pk)
        status = 400
    context = {
        "cycle": found,
        "groups": visible_groups(request.user, found),
        "form": form,
        "manages": manages,
    }
    return render(request, "objections/groups.html", context, status=status)


def _group_page(
    request: HttpRequest,
    cycle: Cycle,
    pk: int,
    *,
    members_form: MembersForm | None = None,
    meeting_form: MeetingForm | None = None,
    status: int = 200,
) -> HttpResponse:
    group = group_or_404(request.user, cycle, pk)
    manages = may(request.user, "objection.group", cycle)
    members = list(group.members.all())
    objections = list(Objection.objects.filter(group=group).select_related("participation__agency"))
    context = {
        "cycle": cycle,
        "group": group,
        "members": members,
        "meetings": list(group.meetings.all()),
        "objections": objections,
        "manages": manages,
        "members_form": members_form
        or (
            MembersForm(people=_people(cycle), initial={"members": [m.pk for m in members]})
            if manages
            else None
        ),
        "meeting_form": meeting_form
        or MeetingForm(people=[(m.pk, m.display_name) for m in members]),
    }
    return render(request, "objections/group.html", context, status=status)


@login_required
def group_view(request: HttpRequest, cycle: int, pk: int) -> HttpResponse:
    return _group_page(request, visible_cycle(request.user, cycle), pk)


@login_required
@require_POST
def members_view(request: HttpRequest, cycle: int, pk: int) -> HttpResponse:
    found = visible_cycle(request.user, cycle)
    group = group_or_404(request.user, found, pk)
    require(request.user, "objection.group", found)
    form = MembersForm(request.POST, people=_people(found))
    if form.is_valid():
        try:
            group_members(
                actor=request.user,
                group=group,
                members=_chosen(found, form.cleaned_data["members"]),
                ip=client_ip(request),
            )
        except Forbidden:
            raise
        except DomainError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("The members were saved."))
            return redirect("objections:group", cycle=found.pk, pk=group.pk)
    return _group_page(request, found, pk, members_form=form, status=400)


@login_required
@require_POST
def meeting_view(request: HttpRequest, cycle: int, pk: int) -> HttpResponse:
    found = visible_cycle(request.user, cycle)
    group = group_or_404(request.user, found, pk)
    require(request.user, "objection.meeting", group)
    members = list(group.members.all())
    form = MeetingForm(
        request.POST, request.FILES, people=[(m.pk, m.display_name) for m in members]
    )
    if form.is_valid():
        wanted = {int(i) for i in form.cleaned_data["present"]}
        try:
            meeting_record(
                actor=request.user,
                group=group,
                held_on=form.cleaned_data["held_on"],
                present=[m for m in members if m.pk in wanted],
                minutes=form.cleaned_data["minutes"],
                notes=form.cleaned_data["notes"],
                ip=client_ip(request),
            )
        except Forbidden:
            raise
        except DomainError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("The meeting was recorded."))
            return redirect("objections:group", cycle=found.pk, pk=group.pk)
    return _group_page(request, found, pk, meeting_form=form, status=400)


@login_required
def minutes_view(request: HttpRequest, cycle: int, pk: int) -> HttpResponseBase:
    found = visible_cycle(request.user, cycle)
    meeting = get_object_or_404(
        Meeting.objects.select_related("group__cycle", "minutes"), pk=pk, group__cycle=found
    )
    group_or_404(request.user, found, meeting.group_id)
    return file_response(meeting.minutes)


@login_required
def queue_view(request: HttpRequest, cycle: int) -> HttpResponse:
    """Objections routed to the groups the user sits in."""
    found = _cycle(request, cycle, "objection.queue")
    rows = queue(found, request.user)
    context = {
        "cycle": found,
        "objections": rows,
        "shown": shown_scores(request.user, rows, found),
    }
    return render(request, "objections/queue.html", context)
