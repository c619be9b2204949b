"""The report card of an agency (page and PDF) and its improvement plan. Services decide."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from karnameh.accounts.permissions import may, require
from karnameh.accounts.throttle import client_ip
from karnameh.common.errors import DomainError, Forbidden
from karnameh.common.replica import replica_reads
from karnameh.common.text import persian_digits

from .cards import Card, card, card_participation, plan_rows
from .forms import PlanForm, posted_actions
from .pdf import render_pdf
from .plans import plan_save


def header_title(found: Card) -> str:
    """The PDF's running header: the province and the cycle."""
    cycle = found.cycle
    province = cycle.province.name if cycle.province else ""
    title = cycle.title if province in cycle.title else f"{cycle.title} – {province}"
    return persian_digits(title)


def card_context(request: HttpRequest | None, found: Card) -> dict[str, Any]:
    return {
        "card": found,
        "cycle": found.cycle,
        "agency": found.agency,
        "header_title": header_title(found),
        "title": _("Report card of %(agency)s") % {"agency": found.agency.name},
        "may_plan": request is not None and may(request.user, "reports.plan", found.participation),
    }


@login_required
@replica_reads
def card_view(request: HttpRequest, cycle: int, agency: str) -> HttpResponse:
    found = card(card_participation(request.user, cycle, agency))
    return render(request, "reports/card.html", card_context(request, found))


def pdf_name(found: Card) -> str:
    return f"کارنامه-{found.agency.code}-{persian_digits(found.cycle.year)}.pdf"


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    # RFC 6266: a Persian file name goes in filename*=utf-8''…
    response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    return response


@login_required
@replica_reads
def card_pdf_view(request: HttpRequest, cycle: int, agency: str) -> HttpResponse:
    found = card(card_participation(request.user, cycle, agency), chart="png")
    content = render_pdf("reports/card_pdf.html", card_context(None, found), request=request)
    return pdf_response(content, pdf_name(found))


@login_required
def plan_view(request: HttpRequest, cycle: int, agency: str) -> HttpResponse:
    participation = card_participation(request.user, cycle, agency)
    found = card(participation, chart=None)
    plan = found.plan
    rows = plan_rows(found)
    form = PlanForm(
        initial={"summary": plan.summary if plan else "", "version": plan.version if plan else 0}
    )
    status = 200
    if request.method == "POST":
        # Refused (403) before the form is read: the card's readers do not all write the plan.
        require(request.user, "reports.plan", participation)
        form = PlanForm(request.POST)
        rows = posted_actions(request.POST)
        if form.is_valid():
            try:
                plan_save(
                    actor=request.user,
                    participation=participation,
                    summary=form.cleaned_data["summary"],
                    actions=rows,
                    version=form.cleaned_data["version"],
                    ip=client_ip(request),
                )
            except DomainError as error:
                if error.status_code == 403:
                    raise
                messages.error(request, error.message)
                status = 400
            else:
                messages.success(request, _("The improvement plan was saved."))
                return redirect("reports:card", cycle=cycle, agency=agency)
        else:
            status = 400
    elif not may(request.user, "reports.plan", participation):
        # Seeing the card is not writing the plan: say so before a form is filled in vain.
        raise Forbidden(_("Only the agency itself writes its improvement plan, after publication."))
    blank = {"gauge": "", "action": "", "owner": "", "due": ""}
    context = {
        **card_context(request, found),
        "form": form,
        "rows": [*rows, blank, blank],
        "gauges": found.gauge_titles,
    }
    return render(request, "reports/plan.html", context, status=status)
