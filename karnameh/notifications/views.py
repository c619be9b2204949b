from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from karnameh.accounts.permissions import require
from karnameh.common.text import persian_digits

from .selectors import own_notifications
from .services import notification_read, notifications_read_all

PER_PAGE = 20


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "notification.list")
    page = Paginator(own_notifications(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def notification_mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "notification.list")
    notification = get_object_or_404(own_notifications(request.user), pk=pk)
    notification_read(actor=request.user, notification=notification)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_mark_all_read(request: HttpRequest) -> HttpResponse:
    require(request.user, "notification.list")
    count = notifications_read_all(actor=request.user)
    text = ngettext(
        "%(count)s notification marked read.", "%(count)s notifications marked read.", count
    )
    messages.success(request, text % {"count": persian_digits(count)})
    return redirect("notifications:list")


@login_required
@require_GET
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification's link; following it is reading it."""
    require(request.user, "notification.list")
    notification = get_object_or_404(own_notifications(request.user), pk=pk)
    notification_read(actor=request.user, notification=notification)
    target = notification.url
    # Only paths inside this site: a stored link never sends anyone elsewhere.
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts=None, require_https=request.is_secure()
    ):
        return redirect("notifications:list")
    return redirect(target)
