"""A person's own sign-in settings: the password, and two-step sign-in."""

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from karnameh.common.errors import DomainError

from . import throttle, totp
from .forms import PasswordChangeForm, TotpConfirmForm, TotpDisableForm
from .models import TotpDevice, User
from .permissions import require
from .sealing import SealBroken
from .services import user_password_change
from .services_totp import (
    recovery_codes_left,
    secret_of,
    totp_disable,
    totp_enrol_confirm,
    totp_enrol_start,
)

T = TypeVar("T")


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@never_cache
@login_required
def password_change_view(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    require(user, "password.change")
    form = PasswordChangeForm(user, request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        ended = user_password_change(
            request=request, user=user, new_password=form.cleaned_data["new_password1"]
        )
        text = _("Your password was changed.")
        if ended:
            text += " " + _("You were signed out everywhere else.")
        messages.success(request, text)
        return redirect("home")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/password_change.html", {"form": form}, status=status)


def _two_step_page(request: HttpRequest, *, status: int = 200, **extra: Any) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    device = TotpDevice.objects.filter(user=user).first()
    context: dict[str, Any] = {"device": device, "confirm_form": None, "disable_form": None}
    if device is not None and device.confirmed_at is None:
        try:
            secret = secret_of(device)
        except SealBroken:
            # Sealed under a retired SECRET_KEY: offer a new key instead.
            return _page(request, status, {**context, "device": None, **extra})
        # Shown until confirmed, and never again after: the page is not cached.
        context["secret"] = totp.grouped(totp.base32(secret))
        context["uri"] = totp.otpauth_uri(secret, account=user.get_username(), issuer=_("Karnameh"))
        context["confirm_form"] = TotpConfirmForm()
    elif device is not None:
        context["codes_left"] = recovery_codes_left(device)
        context["disable_form"] = TotpDisableForm()
    return _page(request, status, {**context, **extra})


def _page(request: HttpRequest, status: int, context: dict[str, Any]) -> HttpResponse:
    return render(request, "accounts/two_step.html", context, status=status)


@never_cache
@login_required
def two_step_view(request: HttpRequest) -> HttpResponse:
    require(request.user, "two_step.manage")
    return _two_step_page(request)


@never_cache
@login_required
@require_POST
def two_step_start_view(request: HttpRequest) -> HttpResponse:
    try:
        totp_enrol_start(actor=request.user, ip=throttle.client_ip(request))  # type: ignore[arg-type]
    except DomainError as error:
        if error.status_code == 403:
            raise
        messages.error(request, error.message)
    return redirect("accounts:two-step")


def _throttled(
    request: HttpRequest, form: Form, field: str | None, run: Callable[[str | None], T]
) -> tuple[bool, T | None]:
    """(done, the service's answer): ``run`` (given the client's address) under the sign-in
    throttle, as a code typed at sign-in is; a refusal goes onto the form's ``field``."""
    attempt = throttle.attempt_of(request, request.user.get_username())
    try:
        return True, throttle.guarded(attempt, lambda: run(attempt.ip))
    except DomainError as error:
        form.add_error(field, error.message)
        return False, None


@sensitive_post_parameters("code")
@never_cache
@login_required
@require_POST
def two_step_confirm_view(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    require(user, "two_step.manage")
    form = TotpConfirmForm(request.POST)
    if form.is_valid():
        done, codes = _throttled(
            request,
            form,
            "code",
            lambda ip: totp_enrol_confirm(actor=user, code=form.cleaned_data["code"], ip=ip),
        )
        if done:
            return _two_step_page(request, recovery_codes=codes)
    return _two_step_page(request, status=400, confirm_form=form)


@sensitive_post_parameters("password", "code")
@never_cache
@login_required
@require_POST
def two_step_disable_view(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    require(user, "two_step.manage")
    form = TotpDisableForm(request.POST)
    if form.is_valid():
        done, _nothing = _throttled(
            request,
            form,
            None,
            lambda ip: totp_disable(
                actor=user,
                password=form.cleaned_data["password"],
                code=form.cleaned_data["code"],
                ip=ip,
            ),
        )
        if done:
            messages.success(request, _("Two-step sign-in is off."))
            return redirect("accounts:two-step")
    return _two_step_page(request, status=400, disable_form=form)
