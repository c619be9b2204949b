from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from karnameh.accounts.permissions import require

from .selectors import visible_events


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "audit.list")
    page = Paginator(visible_events(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "audit/list.html", {"page": page})
