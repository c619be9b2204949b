"""Pages for submitting, approving, transferring and returning a self-assessment.

Every move goes through ``services.assessment_transition`` (and an extension through
``services.participation_extend``): these pages only collect the form and show the outcome.
The actions panel is a partial the workspace page includes, with ``workflow_context()``.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from karnameh.accounts.permissions import may, require
from karnameh.accounts.throttle import client_ip
from karnameh.catalogue.models import Gauge
from karnameh.common.errors import DomainError, Forbidden
from karnameh.common.text import persian_digits
from karnameh.cycles.deadlines import Deadline, deadline
from karnameh.cycles.models import AssessmentState, Cycle, Participation
from karnameh.cycles.selectors import visible_cycle, visible_participations
from karnameh.cycles.steps import SELF_ASSESSMENT, TRANSFER
from karnameh.notifications.services import assessment_url

from . import workflow
from .forms_workflow import ExtensionForm, TransitionForm
from .models import Answer, Part
from .scoring import LATER
from .selectors import visible_assessment, workspace
from .services import assessment_transition, participation_extend


@dataclass
class Action:
    """One transition the user may take now, with its form and its deadline."""

    row: workflow.Transition
    form: TransitionForm
    url: str
    closes: Deadline | None

    @property
    def closed(self) -> bool:
        return self.closes is not None and self.closes.passed()


@dataclass
class Moment:
    label: str
    at: Any
    by: Any
    # The receipt number of a submission.
    receipt: str = ""
    link: str = ""
    link_label: str = ""


@dataclass
class Panel:
    participation: Participation
    actions: list[Action]
    timeline: list[Moment]
    entry: Deadline
    approvals: Deadline
    extend_form: ExtensionForm | None = None
    extend_url: str = ""


def _args(p: Participation) -> list[Any]:
    return [p.cycle_id, p.agency.code]


def _action(user: Any, p: Participation, row: workflow.Transition) -> Action:
    url = reverse("assessments:act", args=[*_args(p), row.name])
    closes = deadline(p, row.step) if row.step is not None else None
    return Action(row, TransitionForm(row=row, version=p.version), url, closes)


def _timeline(p: Participation) -> list[Moment]:
    moments = []
    if p.submitted_at:
        receipt = reverse("assessments:receipt", args=_args(p)) if p.receipt else ""
        moments.append(
            Moment(_("Submitted"), p.submitted_at, p.submitted_by, p.receipt, receipt, _("receipt"))
        )
    if p.office_approved_at:
        minutes = reverse("assessments:minutes", args=_args(p)) if p.office_minutes_id else ""
        moments.append(
            Moment(
                _("Steering council's approval"),
                p.office_approved_at,
                p.office_approved_by,
                link=minutes,
                link_label=_("download the minutes"),
            )
        )
    if p.hq_approved_at:
        moments.append(Moment(_("Headquarters' approval"), p.hq_approved_at, p.hq_approved_by))
    if p.transferred_at:
        moments.append(
            Moment(_("Transferred to the organization"), p.transferred_at, p.transferred_by)
        )
    return moments


def workflow_context(user: Any, participation: Participation) -> dict[str, Any]:
    """What ``assessments/_actions.html`` needs: ``{"workflow": Panel}``."""
    p = participation
    panel = Panel(
        participation=p,
        actions=[_action(user, p, row) for row in workflow.available(user, p)],
        timeline=_timeline(p),
        entry=deadline(p, SELF_ASSESSMENT),
        approvals=deadline(p, TRANSFER),
    )
    if may(user, "assessment.extend", p):
        panel.extend_form = ExtensionForm()
        panel.extend_url = reverse("assessments:extend", args=_args(p))
    return {"workflow": panel}


@login_required
def act(request: HttpRequest, cycle_pk: int, agency_code: str, name: str) -> HttpResponse:
    """GET: a confirm page for one transition; POST: take it (refused: message, no change)."""
    p = visible_assessment(request.user, cycle_pk, agency_code)
    if name not in workflow.TRANSITIONS:
        raise Http404
    require(request.user, f"assessment.{name}", p)
    try:
        row = workflow.check(request.user, name, p)
    except Forbidden:
        raise
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(assessment_url(p))
    form = TransitionForm(request.POST or None, request.FILES or None, row=row, version=p.version)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                result = assessment_transition(
                    actor=request.user,
                    participation=p,
                    name=name,
                    version=form.cleaned_data["version"],
                    reason=form.cleaned_data.get("reason") or "",
                    minutes=form.cleaned_data.get("minutes"),
                    key=form.cleaned_data.get("key") or None,
                    ip=client_ip(request),
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                return _done(request, p, name, result)
    context = {
        "participation": p,
        "action": _action(request.user, p, row),
        "form": form,
        "back": assessment_url(p),
    }
    return render(request, "assessments/workflow_confirm.html", context, status=status)


_DONE = {
    "submit": gettext_lazy("The self-assessment was submitted. Receipt number: %(receipt)s."),
    "withdraw": gettext_lazy("The self-assessment was withdrawn; it can be edited again."),
    "office_approve": gettext_lazy("The steering council's approval was recorded."),
    "office_return": gettext_lazy(
        "The self-assessment was returned to the agency with your notes."
    ),
    "office_revoke": gettext_lazy("The steering council's approval was revoked."),
    "hq_approve": gettext_lazy("The headquarters' approval was recorded."),
    "hq_return": gettext_lazy("The self-assessment was returned to the agency with your notes."),
    "hq_revoke": gettext_lazy("The headquarters' approval was revoked."),
    "transfer": gettext_lazy("The self-assessment was transferred to the organization."),
    "return_transfer": gettext_lazy(
        "The self-assessment was returned to the agency with your notes."
    ),
}


def _done(
    request: HttpRequest, p: Participation, name: str, result: dict[str, Any]
) -> HttpResponse:
    messages.success(request, str(_DONE[name]) % {"receipt": persian_digits(result["receipt"])})
    if name == "submit":
        return redirect("assessments:receipt", *_args(p))
    return redirect(assessment_url(p))


def _gauge_url(p: Participation, part: str, code: str) -> str:
    return f"{assessment_url(p)}{part}/{code}/"


@login_required
def submit_check(request: HttpRequest, cycle_pk: int, agency_code: str) -> HttpResponse:
    """Before submitting: what is unanswered, incomplete or missing its evidence."""
    p = visible_assessment(request.user, cycle_pk, agency_code)
    space = workspace(p)
    unanswered, incomplete, no_evidence = [], [], []
    for row in space.rows():
        item = (row, _gauge_url(p, row.part, row.gauge.code))
        if not row.answered:
            unanswered.append(item)
        elif not row.later and row.result.status == "invalid":
            incomplete.append(item)
        if row.evidence_missing:
            no_evidence.append(item)
    found = workflow.find("submit", p)
    allowed = found is not None and found.allows(request.user, p)
    action = _action(request.user, p, found) if found and allowed else None
    context = {
        "participation": p,
        "space": space,
        "unanswered": unanswered,
        "incomplete": incomplete,
        "no_evidence": no_evidence,
        "action": action,
        "back": assessment_url(p),
    }
    return render(request, "assessments/workflow_submit.html", context)


@login_required
def receipt(request: HttpRequest, cycle_pk: int, agency_code: str) -> HttpResponse:
    """The receipt of the last submission, printable: number, time, who, self-score totals."""
    p = visible_assessment(request.user, cycle_pk, agency_code)
    if not p.receipt:
        raise Http404
    space = workspace(p)
    labels = dict(Part.choices)
    totals = [
        {"label": labels.get(part, part), "total": result.total, "max": result.max}
        for part, result in space.results.items()
    ]
    context = {
        "participation": p,
        "totals": totals,
        "submitted_by": p.submitted_by,
        "back": assessment_url(p),
    }
    return render(request, "assessments/workflow_receipt.html", context)


@login_required
def extend(request: HttpRequest, cycle_pk: int, agency_code: str) -> HttpResponse:
    """Staff give this one agency more time (entry and approvals), with a reason."""
    p = visible_assessment(request.user, cycle_pk, agency_code)
    require(request.user, "assessment.extend", p)
    form = ExtensionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                participation_extend(
                    actor=request.user,
                    participation=p,
                    until=form.until(),
                    reason=form.cleaned_data["reason"],
                    ip=client_ip(request),
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                p.refresh_from_db(fields=["extended_until"])
                messages.success(
                    request,
                    _("The deadline of %(agency)s was extended to %(date)s.")
                    % {"agency": p.agency.name, "date": Deadline(p.extended_until, True).label()},
                )
                return redirect(assessment_url(p))
    context = {"participation": p, "form": form, "back": assessment_url(p)}
    return render(request, "assessments/workflow_extend.html", context, status=status)


@login_required
def minutes(request: HttpRequest, cycle_pk: int, agency_code: str) -> HttpResponseBase:
    """The minutes of the council meeting that approved the self-assessment."""
    from karnameh.files.responses import file_response

    p = visible_assessment(request.user, cycle_pk, agency_code)
    if p.office_minutes is None:
        raise Http404
    return file_response(p.office_minutes)


@dataclass
class Row:
    participation: Participation
    answered: int
    total: int

    @property
    def percent(self) -> int:
        return round(self.answered * 100 / self.total) if self.total else 100


def _gauge_counts(catalogues: set[int]) -> dict[int, tuple[int, int]]:
    """Per catalogue: (gauges, gauges scored by the organization at the end)."""
    later = Q(rule__kind__in=sorted(LATER))
    rows = (
        Gauge.objects.filter(indicator__axis__catalogue_id__in=catalogues)
        .values("indicator__axis__catalogue_id")
        .annotate(total=Count("id"), later=Count("id", filter=later))
    )
    return {r["indicator__axis__catalogue_id"]: (r["total"], r["later"]) for r in rows}


def participation_rows(user: Any, cycle: Cycle, state: str = "") -> list[Row]:
    """Every participation of the cycle the user sees, with its progress, in three queries.

    Progress counts answers that hold data, per participation, in one aggregate (building the
    workspace of each agency would score every catalogue once per row).
    """
    found: QuerySet[Participation] = (
        visible_participations(user)
        .filter(cycle=cycle)
        .select_related("submitted_by", "transferred_by")
        .order_by("agency__code")
    )
    if state:
        found = found.filter(state=state)
    items = list(found)
    answered = dict(
        Answer.objects.filter(participation__in=[p.pk for p in items])
        .exclude(data={})
        .values("participation_id")
        .annotate(n=Count("id"))
        .values_list("participation_id", "n")
    )
    catalogues = {cycle.general_catalogue_id} | {
        p.specific_catalogue_id for p in items if p.specific_catalogue_id
    }
    counts = _gauge_counts(catalogues)
    rows = []
    for p in items:
        parts = [cycle.general_catalogue_id, p.specific_catalogue_id]
        total = sum(counts.get(c, (0, 0))[0] for c in parts if c)
        later = sum(counts.get(c, (0, 0))[1] for c in parts if c)
        rows.append(Row(p, answered.get(p.pk, 0) + later, total))
    return rows


@login_required
def cycle_participations(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    """Staff: every agency of the cycle, where its self-assessment stands, filterable by state."""
    cycle = visible_cycle(request.user, cycle_pk)
    require(request.user, "cycle.change", cycle)
    state = request.GET.get("state", "")
    if state not in AssessmentState.values:
        state = ""
    context = {
        "cycle": cycle,
        "rows": participation_rows(request.user, cycle, state),
        "state": state,
        "states": AssessmentState.choices,
    }
    return render(request, "assessments/workflow_list.html", context)
