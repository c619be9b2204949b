"""The jobs pages: the list, one job's progress (polled by htmx), its download, and starting."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from karnameh.accounts.permissions import require
from karnameh.accounts.throttle import client_ip
from karnameh.common.errors import DomainError
from karnameh.cycles.selectors import visible_cycle
from karnameh.files.checks import KINDS
from karnameh.files.responses import file_response

from .forms import StartForm
from .models import Job
from .selectors import downloadable_job, visible_job, visible_jobs
from .services import job_start


@login_required
def jobs_view(request: HttpRequest) -> HttpResponse:
    require(request.user, "job.list")
    page = Paginator(visible_jobs(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "jobs/list.html", {"page": page, "jobs": page.object_list})


@login_required
def job_view(request: HttpRequest, pk: int) -> HttpResponse:
    job = visible_job(request.user, pk)
    # htmx asks every two seconds for the progress block alone, until the job finishes.
    template = "jobs/_progress.html" if getattr(request, "htmx", False) else "jobs/detail.html"
    return render(request, template, {"job": job, "own": job.requested_by_id == request.user.pk})


@login_required
def download_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    return output_response(downloadable_job(request.user, pk))


def output_response(job: Job) -> HttpResponseBase:
    """The job's output as an attachment (the caller has checked the right to it)."""
    assert job.output is not None
    response = file_response(job.output)
    if job.output.kind not in KINDS:
        # Our own output (CSV and the like): its type is the one the kind declared, still
        # offered only as an attachment, with nosniff and a sandbox (files.responses).
        response["Content-Type"] = job.output.content_type
    return response


@login_required
@require_POST
def start_view(request: HttpRequest) -> HttpResponse:
    """The form other pages post (kind, cycle, optional JSON params and ``next``)."""
    form = StartForm(request.POST)
    back = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = ""
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(back or "jobs:list")
    cycle = visible_cycle(request.user, form.cleaned_data["cycle"])
    try:
        job = job_start(
            actor=request.user,
            kind=form.cleaned_data["kind"],
            cycle=cycle,
            params=form.cleaned_data["params"],
            ip=client_ip(request),
        )
    except DomainError as error:
        if error.status_code == 403:
            raise
        messages.error(request, error.message)
        return redirect(back or "jobs:list")
    return redirect("jobs:detail", pk=job.pk)
