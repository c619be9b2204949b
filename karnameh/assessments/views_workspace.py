"""The agency's self-assessment workspace: every gauge by axis, the gauge editor, evidence.

The editor's form is posted three ways, all read by ``AnswerForm``: htmx sends it to
``gauge_score`` as people type (scored, never saved), to ``gauge_save`` a moment after a field
changes (autosave: a draft, with the answer's version and a fresh idempotency key each time),
and without JavaScript the save button posts it to the gauge page itself. Every save goes
through ``services.answer_save``; a conflict shows both answers side by side.
"""

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from karnameh.accounts.permissions import may, require
from karnameh.accounts.throttle import client_ip
from karnameh.catalogue.display import target_text, unit_text
from karnameh.common.errors import DomainError, Forbidden
from karnameh.cycles.deadlines import deadline
from karnameh.cycles.models import Participation
from karnameh.cycles.steps import SELF_ASSESSMENT
from karnameh.files.responses import file_response
from karnameh.scoring.engine import STATUS_LABELS
from karnameh.scoring.model import effective_target

from .forms import AnswerForm, new_key, side_by_side
from .models import Evidence
from .scoring import LATER, sheets
from .selectors import GaugeRow, gauge_or_404, gauge_row, visible_assessment, workspace
from .services import (
    Conflict,
    answer_preview,
    answer_save,
    entry_lock,
    evidence_add,
    evidence_remove,
)
from .views_workflow import workflow_context


def _header(request: HttpRequest, p: Participation) -> dict[str, Any]:
    lock = entry_lock(p)
    return {
        "participation": p,
        "deadline": deadline(p, SELF_ASSESSMENT),
        "lock": lock,
        "editable": lock is None and may(request.user, "assessment.edit", p),
    }


@login_required
@require_GET
def workspace_page(request: HttpRequest, cycle: int, agency: str) -> HttpResponse:
    p = visible_assessment(request.user, cycle, agency)
    context = {**_header(request, p), "ws": workspace(p)}
    # Each row links to its gauge, whose address extends the workspace's (urls.GAUGE): one
    # reverse() here instead of one a row. Gauge codes are Latin letters, digits and dots
    # (scoring.loader), so the template appends them as they are, with nothing to quote.
    context["gauge_prefix"] = reverse("assessments:workspace", args=[p.cycle_id, p.agency.code])
    # The submit, approve and transfer panel (views_workflow) sits under the progress.
    context.update(workflow_context(request.user, p))
    return render(request, "assessments/workspace.html", context)


def _neighbours(p: Participation, part: str, code: str) -> tuple[Any, Any]:
    order = [(s.part, g.code) for s in sheets(p) for _i, g in s.engine.gauges()]
    at = order.index((part, code))
    return (order[at - 1] if at > 0 else None, order[at + 1] if at + 1 < len(order) else None)


def _editor(
    request: HttpRequest,
    p: Participation,
    row: GaugeRow,
    *,
    form: AnswerForm | None = None,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    header = _header(request, p)
    editable = header["editable"] and not row.later
    answer = row.answer
    if form is None:
        form = AnswerForm(
            indicator=row.indicator,
            gauge=row.gauge,
            stored=answer.data if answer else None,
            comment=answer.comment if answer else "",
            version=row.version,
            prefill=row.prefill,
            disabled=not editable,
        )
    for item in row.evidence:
        # Kilobytes to one decimal place, never «0» for a file that has bytes.
        item.kb = max(  # type: ignore[attr-defined]
            (Decimal(item.file.size) / 1024).quantize(Decimal("0.1")), Decimal("0.1")
        )
    before, after = _neighbours(p, row.part, row.gauge.code)
    args = [p.cycle_id, p.agency.code, row.part, row.gauge.code]
    context = {
        **header,
        "editable": editable,
        "row": row,
        "form": form,
        "tables": form.table_rows(),
        "target": target_text(effective_target(row.indicator, row.gauge)),
        "unit": unit_text(row.indicator.unit),
        "evidence_asked": row.gauge.evidence or row.indicator.evidence,
        "result": row.result,
        "status_label": STATUS_LABELS.get(row.result.status, row.result.status),
        "before": before,
        "after": after,
        "page_url": reverse("assessments:gauge", args=args),
        "score_url": reverse("assessments:gauge-score", args=args),
        "save_url": reverse("assessments:gauge-save", args=args),
        "upload_url": reverse("assessments:evidence-add", args=args),
        "saved_at": answer.updated_at if answer else None,
        **extra,
    }
    return render(request, "assessments/workspace_gauge.html", context, status=status)


def _form(request: HttpRequest, row: GaugeRow) -> AnswerForm:
    return AnswerForm(request.POST, indicator=row.indicator, gauge=row.gauge, prefill=row.prefill)


def _same(conflict: Conflict) -> bool:
    """Their answer is mine: my own earlier save (autosave) landed first. Nothing to resolve."""
    theirs, mine = conflict.theirs, conflict.mine
    return bool(theirs["data"] == mine["data"] and theirs["comment"] == mine["comment"])


def _save(request: HttpRequest, p: Participation, row: GaugeRow, form: AnswerForm) -> Any:
    overwrite = request.POST.get("overwrite", "")
    version = int(overwrite) if overwrite.isdigit() else form.version()
    return answer_save(
        actor=request.user,
        participation=p,
        part=row.part,
        gauge_code=row.gauge.code,
        data=form.answer_data(),
        comment=form.comment(),
        version=version,
        key=form.key(),
        ip=client_ip(request),
    )


def _conflict_context(row: GaugeRow, conflict: Conflict) -> dict[str, Any]:
    return {
        "conflict": conflict,
        "compare": side_by_side(row.gauge, conflict.theirs, conflict.mine),
        "their_version": conflict.theirs["version"],
    }


@login_required
def gauge_page(
    request: HttpRequest, cycle: int, agency: str, part: str, gauge: str
) -> HttpResponse:
    """The gauge editor; a plain POST saves it (or adds table rows) without JavaScript."""
    p = visible_assessment(request.user, cycle, agency)
    row = gauge_row(p, part, gauge)
    if request.method != "POST":
        return _editor(request, p, row)
    require(request.user, "assessment.edit", p)
    form = _form(request, row)
    if "add_rows" in request.POST or not form.is_valid():
        return _editor(request, p, row, form=form)
    try:
        _save(request, p, row, form)
    except Conflict as conflict:
        if not _same(conflict):
            return _editor(
                request, p, row, form=form, status=409, **_conflict_context(row, conflict)
            )
    except Forbidden:
        raise
    except DomainError as error:
        return _editor(request, p, row, form=form, status=400, error=error.message)
    messages.success(request, _("The answer was saved."))
    return redirect(request.path)


@login_required
@require_POST
def gauge_score(
    request: HttpRequest, cycle: int, agency: str, part: str, gauge: str
) -> HttpResponse:
    """The live self-score partial: what the form as typed would score. Nothing is saved."""
    p = visible_assessment(request.user, cycle, agency)
    _sheet, indicator, found_gauge = gauge_or_404(p, part, gauge)
    if found_gauge.rule.kind in LATER:
        raise Http404
    form = AnswerForm(request.POST, indicator=indicator, gauge=found_gauge)
    context: dict[str, Any] = {"live": True}
    if not form.is_valid():
        context["error"] = _("Check the highlighted fields.")
    else:
        try:
            result = answer_preview(
                actor=request.user,
                participation=p,
                part=part,
                gauge_code=gauge,
                data=form.answer_data(),
            )
        except DomainError as error:
            context["error"] = error.message
        else:
            context["result"] = result
            context["status_label"] = STATUS_LABELS.get(result.status, result.status)
    return render(request, "assessments/_gauge_score.html", context)


@login_required
@require_POST
def gauge_save(
    request: HttpRequest, cycle: int, agency: str, part: str, gauge: str
) -> HttpResponse:
    """Autosave (htmx): the save status, and the new version and key swapped into the form."""
    p = visible_assessment(request.user, cycle, agency)
    row = gauge_row(p, part, gauge)
    form = _form(request, row)
    args = [p.cycle_id, p.agency.code, part, gauge]
    context: dict[str, Any] = {
        "row": row,
        "key": new_key(),
        "page_url": reverse("assessments:gauge", args=args),
    }
    if not form.is_valid():
        context["error"] = _("Check the highlighted fields.")
        return render(request, "assessments/_gauge_save.html", context)
    try:
        saved = _save(request, p, row, form)
    except Conflict as conflict:
        if _same(conflict):
            saved = {"version": conflict.theirs["version"], "saved_at": conflict.theirs["at"]}
        else:
            context.update(_conflict_context(row, conflict))
            return render(request, "assessments/_gauge_save.html", context)
    except DomainError as error:
        if isinstance(error, Forbidden):
            raise
        context["error"] = error.message
        return render(request, "assessments/_gauge_save.html", context)
    fresh = gauge_row(p, part, gauge)
    context.update(
        {
            "saved": saved,
            "version": saved["version"],
            "saved_at": fresh.answer.updated_at if fresh.answer else None,
            "result": fresh.result,
            "status_label": STATUS_LABELS.get(fresh.result.status, fresh.result.status),
        }
    )
    return render(request, "assessments/_gauge_save.html", context)


@login_required
@require_POST
def evidence_add_view(
    request: HttpRequest, cycle: int, agency: str, part: str, gauge: str
) -> HttpResponse:
    p = visible_assessment(request.user, cycle, agency)
    gauge_or_404(p, part, gauge)
    require(request.user, "assessment.edit", p)
    uploads = request.FILES.getlist("files")
    if not uploads:
        messages.error(request, _("Choose a file to attach first."))
    for upload in uploads:
        try:
            evidence_add(
                actor=request.user,
                participation=p,
                part=part,
                gauge_code=gauge,
                upload=upload,
                ip=client_ip(request),
            )
        except Forbidden:
            raise
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("“%(name)s” was attached.") % {"name": upload.name})
    return redirect("assessments:gauge", cycle, agency, part, gauge)


@login_required
@require_POST
def evidence_remove_view(request: HttpRequest, cycle: int, agency: str, pk: int) -> HttpResponse:
    p = visible_assessment(request.user, cycle, agency)
    require(request.user, "assessment.edit", p)
    evidence = get_object_or_404(
        Evidence.objects.select_related("file"), pk=pk, participation=p, removed_at__isnull=True
    )
    try:
        evidence_remove(actor=request.user, evidence=evidence, ip=client_ip(request))
    except Forbidden:
        raise
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("“%(name)s” was removed.") % {"name": evidence.file.name})
    return redirect("assessments:gauge", cycle, agency, evidence.part, evidence.gauge_code)


@login_required
@require_GET
def evidence_download(request: HttpRequest, cycle: int, agency: str, pk: int) -> HttpResponseBase:
    p = visible_assessment(request.user, cycle, agency)
    require(request.user, "evidence.download", p)
    evidence = get_object_or_404(Evidence.objects.select_related("file"), pk=pk, participation=p)
    return file_response(evidence.file)
