"""The page where people keep API tokens for the systems that call Karnameh on their behalf."""

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from karnameh.common.errors import DomainError
from karnameh.common.forms import Form, JalaliDateField

from .models import Role
from .permissions import has_role, require
from .throttle import client_ip
from .tokens import token_create, token_revoke, visible_tokens


class TokenForm(Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("Which system uses it, e.g. the provincial dashboard."),
    )
    expires_on = JalaliDateField(
        label=gettext_lazy("Valid until"),
        required=False,
        help_text=gettext_lazy("The last day it works; leave empty for no end."),
    )

    def expires_at(self) -> dt.datetime | None:
        day: dt.date | None = self.cleaned_data["expires_on"]
        if day is None:
            return None
        # Through the whole of that day, Tehran time.
        return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))


@never_cache
@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "token.list")
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST":
        require(request.user, "token.create")
        if form.is_valid():
            try:
                _token, secret = token_create(
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    expires_at=form.expires_at(),
                    ip=client_ip(request),
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                # Shown in this response only: the page is not cached and the secret not kept.
                form = TokenForm()
    context = {
        "tokens": visible_tokens(request.user),
        "form": form,
        "secret": secret,
        "sees_all": has_role(request.user, Role.ADMIN),
        "now": timezone.now(),
    }
    return render(request, "accounts/tokens.html", context)


@login_required
@require_POST
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(visible_tokens(request.user), pk=pk)
    try:
        token_revoke(actor=request.user, token=token, ip=client_ip(request))
    except DomainError as error:
        if error.status_code == 403:
            raise
        messages.error(request, error.message)
    else:
        messages.success(request, _("The token %(name)s was revoked.") % {"name": token.name})
    return redirect("accounts:tokens")
