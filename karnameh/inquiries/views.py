"""Inquiry pages: the staff's page of a cycle, a body's inbox, one agency's inquiries, one
inquiry with its answer form. Every change goes to ``services``; every read through ``may``.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from karnameh.accounts.permissions import may, require
from karnameh.accounts.throttle import client_ip
from karnameh.agreements.selectors import agreed_targets
from karnameh.assessments.forms import new_key
from karnameh.assessments.scoring import self_score
from karnameh.catalogue.display import GaugeView, gauge_view
from karnameh.catalogue.store import engine_catalogue
from karnameh.common.errors import DomainError
from karnameh.common.text import persian_digits
from karnameh.cycles.models import Participation
from karnameh.cycles.selectors import visible_cycle
from karnameh.files.models import StoredFile
from karnameh.files.responses import file_response

from .forms import AnswerForms, GaugeForm, answer_lines
from .models import How, Inquiry, State
from .selectors import PART, agency_inquiries, cycle_topics, inbox, inquiry_gauges, visible_inquiry
from .services import inquiries_send, inquiry_answer, inquiry_correct

STATES = ("open", "overdue", "answered")


@login_required
def inbox_view(request: HttpRequest) -> HttpResponse:
    """A body's inquiries in every province and cycle, the oldest due first."""
    require(request.user, "inquiry.inbox")
    state = request.GET.get("state", "")
    state = state if state in STATES else ""
    context = {"inquiries": inbox(request.user, state=state), "state": state, "now": timezone.now()}
    return render(request, "inquiries/inbox.html", context)


@login_required
def cycle_view(request: HttpRequest, cycle: int) -> HttpResponse:
    found = visible_cycle(request.user, cycle)
    require(request.user, "inquiry.manage", found)
    topics = cycle_topics(found)
    now = timezone.now()
    late = [i for row in topics for i in row.inquiries if i.is_overdue(now)]
    context = {
        "cycle": found,
        "topics": topics,
        "now": now,
        "late": len(late),
        "sent": sum(len(row.inquiries) for row in topics),
        "agencies": found.participations.count(),
    }
    return render(request, "inquiries/cycle.html", context)


@login_required
@require_POST
def send_view(request: HttpRequest, cycle: int) -> HttpResponse:
    found = visible_cycle(request.user, cycle)
    require(request.user, "inquiry.manage", found)
    try:
        made = inquiries_send(actor=request.user, cycle=found, ip=client_ip(request))
    except DomainError as error:
        if error.status_code == 403:
            raise
        messages.error(request, error.message)
    else:
        if made:
            text = ngettext(
                "%(count)s inquiry was sent.", "%(count)s inquiries were sent.", len(made)
            )
            messages.success(request, text % {"count": persian_digits(len(made))})
        else:
            messages.info(request, _("Every inquiry of this cycle was already sent."))
    return redirect("inquiries:cycle", cycle=found.pk)


@login_required
def agency_view(request: HttpRequest, cycle: int, agency: str) -> HttpResponse:
    """One agency's inquiries and answers: the organization's side, its assigned evaluators."""
    found = visible_cycle(request.user, cycle)
    participation = get_object_or_404(
        Participation.objects.select_related("cycle", "agency"), cycle=found, agency__code=agency
    )
    require(request.user, "inquiry.agency", participation)
    targets = agreed_targets(participation)
    rows = [
        (inquiry, _rows(inquiry, targets=targets)) for inquiry in agency_inquiries(participation)
    ]
    context = {"cycle": found, "participation": participation, "rows": rows, "now": timezone.now()}
    return render(request, "inquiries/agency.html", context)


@dataclass
class GaugeRow:
    view: GaugeView
    lines: list[tuple[str, str]]
    score: Decimal | None
    explanation: str
    form: GaugeForm | None = None


def _rows(
    inquiry: Inquiry,
    forms: AnswerForms | None = None,
    *,
    targets: dict[tuple[str, str], Decimal] | None = None,
) -> list[GaugeRow]:
    """Each gauge the inquiry feeds: title, max and rule; the answer and the engine's score
    (with the MoU targets in force, as ``evaluations.final`` scores it)."""
    engine = engine_catalogue(inquiry.cycle.general_catalogue)
    if targets is None:
        targets = agreed_targets(inquiry.participation) if inquiry.answer else {}
    bodies = {inquiry.topic.body.code: inquiry.topic.body.name}
    by_code = {form.gauge.code: form for form in forms.gauges} if forms else {}
    rows = []
    for indicator, gauge in inquiry_gauges(inquiry):
        data = (inquiry.answer or {}).get(gauge.code)
        score, explanation = None, ""
        if data:
            result = self_score(engine, indicator, gauge, data, targets.get((PART, gauge.code)))
            score, explanation = result.score, result.explanation
        rows.append(
            GaugeRow(
                view=gauge_view(indicator, gauge, bodies),
                lines=answer_lines(gauge, data),
                score=score,
                explanation=explanation,
                form=by_code.get(gauge.code),
            )
        )
    return rows


def _forms(inquiry: Inquiry, request: HttpRequest | None, *, letter: bool) -> AnswerForms:
    return AnswerForms(
        inquiry_gauges(inquiry),
        inquiry.answer or {},
        data=request.POST if request is not None else None,
        files=request.FILES if request is not None else None,
        letter=letter,
        correcting=inquiry.state == State.ANSWERED,
        initial={"version": inquiry.version, "key": new_key()},
    )


def _detail(
    request: HttpRequest,
    inquiry: Inquiry,
    forms: AnswerForms | None = None,
    *,
    error: str = "",
) -> HttpResponse:
    user = request.user
    responds = may(user, "inquiry.respond", inquiry)
    records = may(user, "inquiry.record", inquiry)
    if forms is None and (responds or records):
        forms = _forms(inquiry, None, letter=not responds)
    context = {
        "inquiry": inquiry,
        "rows": _rows(inquiry, forms),
        "forms": forms,
        # The page posts the answer to the body's own form, or to the staff's letter form.
        "action": "inquiries:answer" if responds else "inquiries:letter",
        "sees_answer": may(user, "inquiry.answers", inquiry),
        "now": timezone.now(),
        "error": error,
    }
    return render(request, "inquiries/detail.html", context, status=400 if error else 200)


@login_required
def detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, visible_inquiry(request.user, pk))


def _post(request: HttpRequest, pk: int, how: str) -> HttpResponse:
    inquiry = visible_inquiry(request.user, pk)
    require(request.user, "inquiry.respond" if how == How.SYSTEM else "inquiry.record", inquiry)
    forms = _forms(inquiry, request, letter=how == How.LETTER)
    if not forms.is_valid():
        return _detail(request, inquiry, forms, error=_("Correct the entries marked below."))
    common: dict[str, Any] = {
        "actor": request.user,
        "inquiry": inquiry,
        "answers": forms.answers(),
        "how": how,
        "letter": forms.value("letter"),
        "reference": forms.value("reference") or "",
        "key": forms.value("key") or None,
        "ip": client_ip(request),
    }
    try:
        if inquiry.state == State.ANSWERED:
            inquiry_correct(
                **common,
                version=int(forms.value("version") or 0),
                reason=forms.value("reason") or "",
            )
        else:
            inquiry_answer(**common)
    except DomainError as error:
        if error.status_code == 403:
            raise
        return _detail(request, inquiry, forms, error=error.message)
    messages.success(request, _("The answer was saved."))
    return redirect("inquiries:detail", pk=inquiry.pk)


@login_required
@require_POST
def answer_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The body's own answer (or correction) in the system."""
    return _post(request, pk, How.SYSTEM)


@login_required
@require_POST
def letter_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff enter the body's answer from its letter, attached."""
    return _post(request, pk, How.LETTER)


@login_required
def letter_file_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    inquiry = visible_inquiry(request.user, pk)
    require(request.user, "inquiry.answers", inquiry)
    stored = get_object_or_404(StoredFile, pk=inquiry.letter_id or 0)
    return file_response(stored, inline=True)
