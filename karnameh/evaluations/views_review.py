"""The evaluator's review pages, the staff's return, the agency's provisional scores.

The gauge page's form is posted two ways, both read by ``ReviewForm``: htmx sends it to
``gauge_score`` as the evaluator types (scored by the engine, never saved), and the save
button posts it to the gauge page itself (no JavaScript needed). Saves, notes, approvals and
returns all go through ``reviews``; every page passes ``scores.view``.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from karnameh.accounts.permissions import may
from karnameh.accounts.throttle import client_ip
from karnameh.agreements.selectors import agreed_targets
from karnameh.assessments.forms import answer_lines
from karnameh.assessments.models import Evidence
from karnameh.assessments.scoring import find_gauge, self_score, sheets
from karnameh.assessments.services import Conflict
from karnameh.common.errors import DomainError, Forbidden
from karnameh.common.text import persian_digits
from karnameh.cycles.deadlines import deadline
from karnameh.scoring.engine import STATUS_LABELS

from .forms import ConsensusForm, ReturnForm, ReviewForm
from .models import Assignment
from .provisional import provisional, scores_participation
from .reviewing import ReviewRow, review_sheet, reviewed_assignment
from .reviews import (
    approval_problems,
    consensus_write,
    initial_approve,
    initial_return,
    review_lock,
    review_preview,
    review_save,
)
from .rules import GaugeOf
from .scope import EVALUATION, scope_gauges


@login_required
def review_page(request: HttpRequest, cycle: int, pk: int) -> HttpResponse:
    """The gauges of one evaluator's part with the agency's self-score beside theirs."""
    assignment = reviewed_assignment(request.user, cycle, pk)
    sheet = review_sheet(assignment)
    own = may(request.user, "evaluation.review", assignment)
    context = {
        "cycle": assignment.participation.cycle,
        "participation": assignment.participation,
        "assignment": assignment,
        "sheet": sheet,
        "own": own,
        "lock": review_lock(assignment) if own else None,
        "deadline": deadline(assignment.participation, EVALUATION),
        "problems": approval_problems(sheet) if assignment.approved_at is None else [],
        "may_return": may(request.user, "evaluation.return", assignment),
        "return_form": ReturnForm(),
    }
    return render(request, "evaluations/review.html", context)


def _back(assignment: Assignment) -> HttpResponse:
    return redirect("evaluations:review", assignment.participation.cycle_id, assignment.pk)


@login_required
@require_POST
def approve_view(request: HttpRequest, cycle: int, pk: int) -> HttpResponse:
    assignment = reviewed_assignment(request.user, cycle, pk)
    try:
        initial_approve(actor=request.user, assignment=assignment, ip=client_ip(request))
    except Forbidden:
        raise
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your initial approval was recorded; the agency was told."))
    return _back(assignment)


@login_required
@require_POST
def return_view(request: HttpRequest, cycle: int, pk: int) -> HttpResponse:
    assignment = reviewed_assignment(request.user, cycle, pk)
    form = ReturnForm(request.POST)
    try:
        initial_return(
            actor=request.user,
            assignment=assignment,
            reason=form.cleaned_data["reason"] if form.is_valid() else "",
            ip=client_ip(request),
        )
    except Forbidden:
        raise
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The part was returned to the evaluator."))
    if request.POST.get("next") == "board":
        return redirect("evaluations:board", cycle=assignment.participation.cycle_id)
    return _back(assignment)


def _row(assignment: Assignment, gauge: str) -> ReviewRow:
    found = review_sheet(assignment, only=gauge).row(gauge)
    if found is None:
        raise Http404
    return found


def _neighbours(assignment: Assignment, code: str) -> tuple[str | None, str | None]:
    order = [
        g.code
        for found in sheets(assignment.participation)
        for _a, _i, g in scope_gauges(assignment, found)
    ]
    at = order.index(code)
    return (order[at - 1] if at > 0 else None, order[at + 1] if at + 1 < len(order) else None)


def _starting(row: ReviewRow) -> dict[str, Any] | None:
    """The evaluator's saved answer; before the first save, the agency's own answer: the
    evaluator changes what the evidence does not support instead of typing it all again."""
    if row.review is not None:
        return row.review.data
    return row.answer.data if row.answer is not None else None


def _form(row: ReviewRow, data: Any = None, *, disabled: bool = False) -> ReviewForm:
    review = row.review
    return ReviewForm(
        data,
        indicator=row.indicator,
        gauge=row.gauge,
        stored=_starting(row),
        deficiencies=review.deficiencies if review is not None else "",
        version=review.version if review is not None else 0,
        disabled=disabled,
    )


def _gauge_page(
    request: HttpRequest,
    assignment: Assignment,
    row: ReviewRow,
    *,
    form: ReviewForm | None = None,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    p = assignment.participation
    own = may(request.user, "evaluation.review", assignment)
    lock = review_lock(assignment) if own else None
    editable = own and lock is None
    form = form or _form(row, disabled=not editable)
    targets = agreed_targets(p)
    target = targets.get((row.part, row.gauge.code))
    found = find_gauge(p, row.part, row.gauge.code)
    assert found is not None
    engine = found[0].engine
    agency = row.answer.data if row.answer else None
    theirs = self_score(engine, row.indicator, row.gauge, agency, target)
    mine = self_score(engine, row.indicator, row.gauge, _starting(row), target)
    evidence = list(
        Evidence.objects.filter(
            participation=p, part=row.part, gauge_code=row.gauge.code, removed_at__isnull=True
        )
        .select_related("file", "added_by")
        .order_by("added_at", "id")
    )
    before, after = _neighbours(assignment, row.gauge.code)
    args = [p.cycle_id, assignment.pk, row.gauge.code]
    context = {
        "cycle": p.cycle,
        "participation": p,
        "assignment": assignment,
        "row": row,
        "own": own,
        "lock": lock,
        "editable": editable,
        "form": form,
        "tables": form.table_rows(),
        "agency_lines": answer_lines(row.gauge, row.answer.data if row.answer else None),
        "agency_result": theirs,
        "agency_status": STATUS_LABELS.get(theirs.status, theirs.status),
        "result": mine,
        "live": row.review is None,
        "status_label": STATUS_LABELS.get(mine.status, mine.status),
        "evidence": evidence,
        "before": before,
        "after": after,
        "page_url": reverse("evaluations:review-gauge", args=args),
        "score_url": reverse("evaluations:review-score", args=args),
        "consensus_url": reverse("evaluations:consensus", args=args),
        "may_consensus": row.needs_consensus
        and may(request.user, "evaluation.consensus", _gauge_of(assignment, row)),
        "consensus_form": ConsensusForm(
            initial={"note": row.consensus.note if row.consensus else ""}
        ),
        **extra,
    }
    return render(request, "evaluations/review_gauge.html", context, status=status)


def _gauge_of(assignment: Assignment, row: ReviewRow) -> GaugeOf:
    return GaugeOf(assignment.participation, row.part, row.axis.code)


def _compare(row: ReviewRow, conflict: Conflict) -> list[tuple[str, str, str]]:
    left = answer_lines(row.gauge, conflict.theirs.get("data"))
    right = answer_lines(row.gauge, conflict.mine.get("data"))
    labels = list(left) + [label for label in right if label not in left]
    lines = [(label, left.get(label, "—"), right.get(label, "—")) for label in labels]
    lines.append(
        (
            str(_("Deficiencies")),
            persian_digits(conflict.theirs.get("deficiencies") or "—"),
            persian_digits(conflict.mine.get("deficiencies") or "—"),
        )
    )
    return lines


@login_required
def gauge_page(request: HttpRequest, cycle: int, pk: int, gauge: str) -> HttpResponse:
    """One gauge side by side; a plain POST saves the evaluator's answer."""
    assignment = reviewed_assignment(request.user, cycle, pk)
    row = _row(assignment, gauge)
    if request.method != "POST":
        return _gauge_page(request, assignment, row)
    form = ReviewForm(request.POST, indicator=row.indicator, gauge=row.gauge)
    if "add_rows" in request.POST or not form.is_valid():
        return _gauge_page(request, assignment, row, form=form)
    overwrite = request.POST.get("overwrite", "")
    try:
        review_save(
            actor=request.user,
            participation=assignment.participation,
            part=row.part,
            gauge_code=row.gauge.code,
            data=form.answer_data(),
            deficiencies=form.deficiencies(),
            version=int(overwrite) if overwrite.isdigit() else form.version(),
            key=form.key(),
            ip=client_ip(request),
        )
    except Conflict as conflict:
        return _gauge_page(
            request,
            assignment,
            row,
            form=form,
            status=409,
            conflict=conflict,
            compare=_compare(row, conflict),
            their_version=conflict.theirs["version"],
        )
    except Forbidden:
        raise
    except DomainError as error:
        return _gauge_page(request, assignment, row, form=form, status=400, error=error.message)
    messages.success(request, _("Your score was saved."))
    return redirect(request.path)


@login_required
@require_POST
def gauge_score(request: HttpRequest, cycle: int, pk: int, gauge: str) -> HttpResponse:
    """The live score partial: what the form as typed would score. Nothing is saved."""
    assignment = reviewed_assignment(request.user, cycle, pk)
    row = _row(assignment, gauge)
    form = ReviewForm(request.POST, indicator=row.indicator, gauge=row.gauge)
    context: dict[str, Any] = {"live": True}
    if not form.is_valid():
        context["error"] = _("Check the highlighted fields.")
    else:
        try:
            result = review_preview(
                actor=request.user,
                participation=assignment.participation,
                part=row.part,
                gauge_code=row.gauge.code,
                data=form.answer_data(),
            )
        except Forbidden:
            raise
        except DomainError as error:
            context["error"] = error.message
        else:
            context["result"] = result
            context["status_label"] = STATUS_LABELS.get(result.status, result.status)
    return render(request, "assessments/_gauge_score.html", context)


@login_required
@require_POST
def consensus_view(request: HttpRequest, cycle: int, pk: int, gauge: str) -> HttpResponse:
    assignment = reviewed_assignment(request.user, cycle, pk)
    row = _row(assignment, gauge)
    form = ConsensusForm(request.POST)
    try:
        consensus_write(
            actor=request.user,
            participation=assignment.participation,
            part=row.part,
            gauge_code=row.gauge.code,
            note=form.cleaned_data["note"] if form.is_valid() else "",
            ip=client_ip(request),
        )
    except Forbidden:
        raise
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The consensus note was saved."))
    return redirect("evaluations:review-gauge", cycle, assignment.pk, row.gauge.code)


@login_required
def scores_page(request: HttpRequest, cycle: int, agency: str) -> HttpResponse:
    """The agency's provisional scores (the organization's score as it stands, embargoed)."""
    p = scores_participation(request.user, cycle, agency)
    return render(request, "evaluations/scores.html", {"participation": p, "found": provisional(p)})
