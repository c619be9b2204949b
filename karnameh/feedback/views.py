from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from karnameh.accounts.permissions import may, require
from karnameh.accounts.throttle import client_ip
from karnameh.common.errors import DomainError
from karnameh.common.text import persian_digits

from .forms import AnswerForm, FeedbackForm, TrackForm
from .models import FeedbackKind, FeedbackStatus
from .selectors import canonical_number, counts, filtered, visible_feedback, visible_feedback_item
from .services import feedback_answer, feedback_close, feedback_create


@login_required
def feedback_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "feedback.list")
    visible = visible_feedback(request.user)
    kind, status = request.GET.get("kind", ""), request.GET.get("status", "")
    page = Paginator(filtered(visible, kind=kind, status=status), 50).get_page(
        request.GET.get("page")
    )
    found = counts(visible)
    context = {
        "page": page,
        "kind": kind,
        "status": status,
        "kinds": [(value, label, found["kind"][value]) for value, label in FeedbackKind.choices],
        "statuses": [
            (value, label, found["status"][value]) for value, label in FeedbackStatus.choices
        ],
        "total": sum(found["kind"].values()),
        "may_create": may(request.user, "feedback.create"),
        "track_form": TrackForm(),
    }
    return render(request, "feedback/list.html", context)


@login_required
def feedback_create_view(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in FeedbackKind.values:
        raise Http404
    require(request.user, "feedback.create")
    form = FeedbackForm(request.POST or None, user=request.user, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            feedback = feedback_create(
                actor=request.user,
                kind=kind,
                agency=form.chosen_agency(),
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                ratings=form.ratings(),
                cycle=form.cleaned_data["cycle"],
                ip=client_ip(request),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Registered. Your tracking number is %(number)s.")
                % {"number": persian_digits(feedback.tracking_number)},
            )
            return redirect("feedback:detail", number=feedback.tracking_number)
    label = FeedbackKind(kind).label
    return render(request, "feedback/form.html", {"form": form, "kind": kind, "label": label})


@login_required
def feedback_track(request: HttpRequest) -> HttpResponse:
    require(request.user, "feedback.list")
    form = TrackForm(request.GET or None)
    if form.is_valid():
        number = canonical_number(form.cleaned_data["number"])
        if number is None:
            form.add_error(
                "number",
                _("A tracking number looks like %(example)s.")
                % {"example": persian_digits("FB-1403-000042")},
            )
        elif visible_feedback(request.user).filter(tracking_number=number).exists():
            return redirect("feedback:detail", number=number)
        else:
            # Someone else's number is reported like a number that does not exist.
            form.add_error(
                "number",
                _("There is no feedback with the number %(number)s for you.")
                % {"number": persian_digits(number)},
            )
    return render(request, "feedback/track.html", {"form": form})


@login_required
def feedback_detail(request: HttpRequest, number: str) -> HttpResponse:
    feedback = visible_feedback_item(request.user, number)
    may_answer = feedback.status == FeedbackStatus.OPEN and may(
        request.user, "feedback.answer", feedback
    )
    context = {
        "feedback": feedback,
        "answer_form": AnswerForm() if may_answer else None,
        "may_close": feedback.status != FeedbackStatus.CLOSED
        and may(request.user, "feedback.close", feedback),
    }
    return render(request, "feedback/detail.html", context)


@login_required
@require_POST
def feedback_answer_view(request: HttpRequest, number: str) -> HttpResponse:
    feedback = visible_feedback_item(request.user, number)
    require(request.user, "feedback.answer", feedback)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            feedback_answer(
                actor=request.user,
                feedback=feedback,
                answer=form.cleaned_data["answer"],
                ip=client_ip(request),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The answer was sent."))
            return redirect("feedback:detail", number=feedback.tracking_number)
    context = {"feedback": feedback, "answer_form": form, "may_close": False}
    return render(request, "feedback/detail.html", context, status=400)


@login_required
@require_POST
def feedback_close_view(request: HttpRequest, number: str) -> HttpResponse:
    feedback = visible_feedback_item(request.user, number)
    try:
        feedback_close(actor=request.user, feedback=feedback, ip=client_ip(request))
    except DomainError as error:
        if error.status_code == 403:
            raise
        messages.error(request, error.message)
    else:
        messages.success(request, _("Closed."))
    return redirect("feedback:detail", number=feedback.tracking_number)
